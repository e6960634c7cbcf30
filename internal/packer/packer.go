// Package packer runs the real packer binary: it reads its version, validates templates and
// runs `packer build -machine-readable -force` in a process group of its own, turning the
// machine-readable stream into events, a full log file and, on failure, an error that
// carries the log's last lines. Secrets given to it are redacted from all of these.
//
// Cancelling a build's context interrupts the whole process group (Packer then stops its
// VM and deletes its output), and kills the group if it has not exited after a grace
// period, so no QEMU survives a cancelled build.
package packer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"

	"github.com/hashicorp/go-version"
)

// Packer is one packer binary.
type Packer struct {
	Path string
}

// Find locates packer: $BOXBUILD_PACKER when set, else packer on $PATH.
func Find() (*Packer, error) {
	if p := os.Getenv("BOXBUILD_PACKER"); p != "" {
		return &Packer{Path: p}, nil
	}
	p, err := exec.LookPath("packer")
	if err != nil {
		return nil, fmt.Errorf("packer not found on PATH (install it, e.g. apt-get install packer, or set BOXBUILD_PACKER): %w", err)
	}
	return &Packer{Path: p}, nil
}

var versionRE = regexp.MustCompile(`(?m)^Packer v(\d+\.\d+\.\d+\S*)`)

// Version runs `packer version`. Its first line is "Packer vX.Y.Z" in every release from
// 1.6 on; later lines (an "out of date" notice, plugin lists) are ignored.
func (p *Packer) Version(ctx context.Context) (*version.Version, error) {
	cmd := exec.CommandContext(ctx, p.Path, "version")
	cmd.Env = environ(nil)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s version: %w: %s", p.Path, err, bytes.TrimSpace(out))
	}
	return parseVersion(string(out))
}

func parseVersion(out string) (*version.Version, error) {
	m := versionRE.FindStringSubmatch(out)
	if m == nil {
		return nil, fmt.Errorf("cannot read a version from `packer version` output %q", firstLine(out))
	}
	v, err := version.NewVersion(m[1])
	if err != nil {
		return nil, fmt.Errorf("packer version %q: %w", m[1], err)
	}
	return v, nil
}

// Validate runs `packer validate TEMPLATE` in dir with env added to the environment.
func (p *Packer) Validate(ctx context.Context, dir, template string, env []string) error {
	cmd := exec.CommandContext(ctx, p.Path, "validate", template)
	cmd.Dir = dir
	cmd.Env = environ(env)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("packer validate %s: %w\n%s", template, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// environ is the environment packer runs in: ours, the caller's additions, and no calls
// home to HashiCorp's update check (slow, and the network may not reach it).
func environ(extra []string) []string {
	return append(append(os.Environ(), "CHECKPOINT_DISABLE=1"), extra...)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
