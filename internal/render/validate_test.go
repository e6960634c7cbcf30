package render

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/testutil"
)

// TestPackerValidate runs Debian's real `packer validate` (1.6.6) on every template the 1.6
// variant renders for the test workspace — VirtualBox and ESXi included; validation needs no
// hypervisor. Local files the builders check for exist as small dummies with real checksums.
// Packer >= 1.10 cannot be installed here, so the modern variant is checked by
// TestModernTemplatesParse instead.
func TestPackerValidate(t *testing.T) {
	packer := testutil.RequireTool(t, "packer")
	ws := testWorkspace(t)
	opts := repoTemplates(t)
	opts.Packer = installedPackerOr166(t, packer)
	res, err := renderAllSupported(t, ws, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) < 10 {
		t.Fatalf("only %d templates rendered; the matrix lost its builds", len(res))
	}
	for _, r := range res {
		t.Run(r.Box+"_"+r.Provider, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			img, sum := dummyFile(t, dir, dummyName(r))
			rv := RunVars{
				BaseImage: img, BaseImageChecksum: sum, BaseImageSize: "2048M",
				OutputDir: filepath.Join(dir, "out"), BoxOutput: filepath.Join(dir, "x.box"), BoxVersion: "1.0.0",
			}
			args, env, err := r.PackerArgs(rv)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.CommandContext(t.Context(), packer, append(append([]string{"validate"}, args...), r.Dir)...)
			cmd.Env = append(os.Environ(), env...)
			cmd.Env = append(cmd.Env, "PKR_VAR_esxi_password=dummy-password", "CHECKPOINT_DISABLE=1")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("packer validate %s failed: %v\n%s", r.Template, err, out)
			}
		})
	}
}

// renderAllSupported renders every box × provider pair the builder matrix supports; the
// unsupported ones are covered by the golden files.
func renderAllSupported(t *testing.T, ws *config.Workspace, opts Options) ([]*Result, error) {
	t.Helper()
	var out []*Result
	for _, b := range ws.Boxes {
		for _, p := range allProviders {
			o := opts
			o.Boxes, o.Providers = []string{b.Name}, []string{p}
			res, err := Render(ws, o)
			if errors.Is(err, ErrUnsupported) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, res...)
		}
	}
	return out, nil
}

func dummyName(r *Result) string {
	switch r.Builder {
	case "virtualbox-ovf":
		return "base.ovf"
	case "vmware-vmx":
		return "base.vmx"
	case "qemu":
		if r.Source != kindISO {
			return "base.qcow2"
		}
	}
	return "base.iso"
}

// dummyFile writes a small file and returns its path and "sha256:<hex>" checksum.
func dummyFile(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	body := []byte("not a real disk, only for packer validate\n")
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(body)
	return p, "sha256:" + hex.EncodeToString(s[:])
}

// installedPackerOr166 returns the installed Packer's version; the templates must fit it.
func installedPackerOr166(t *testing.T, packer string) *version.Version {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), packer, "version").Output()
	if err != nil {
		t.Fatalf("packer version: %v", err)
	}
	m := regexp.MustCompile(`Packer v(\d+\.\d+\.\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("no version in `packer version` output %q", out)
	}
	v := version.Must(version.NewVersion(m[1]))
	if !v.LessThan(pluginsFrom) {
		t.Skipf("installed packer %s is not 1.6.x; this test validates the 1.6 variant", v)
	}
	return v
}
