package provisiontest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boxbuild/boxbuild/internal/testutil"
)

// The base rootfs stands in for a freshly installed Debian 12 guest: minbase plus what an
// installer leaves behind that the scripts start from. Every input that shapes it is part of
// its cache key (see baseKey).
var (
	baseSuite   = "bookworm"
	baseVariant = "minbase"
	baseInclude = []string{"ca-certificates", "systemd-sysv", "sudo", "openssh-server", "iproute2", "dbus"}
	baseMirrors = []string{
		"deb http://deb.debian.org/debian bookworm main",
		"deb http://deb.debian.org/debian bookworm-updates main",
		"deb http://deb.debian.org/debian-security bookworm-security main",
	}
	// baseSalt changes when the way the tarball is made changes in a way the lines below miss.
	baseSalt = "boxbuild provisiontest base v1"
)

// cacheDir is where the base tarball and the per-group .deb caches live between test runs:
// $BOXBUILD_CACHE, else the user's cache folder; never inside the repository.
func cacheDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("BOXBUILD_CACHE")
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			t.Fatalf("no cache folder (set BOXBUILD_CACHE): %v", err)
		}
		dir = filepath.Join(base, "boxbuild")
	}
	dir = filepath.Join(dir, "provisiontest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("create cache folder: %v", err)
	}
	return dir
}

// baseKey hashes every input of the base tarball as a line of text; every new input must be
// added here.
func baseKey(mmdebstrapVersion string) string {
	h := sha256.New()
	fmt.Fprintf(h, "salt %s\n", baseSalt)
	fmt.Fprintf(h, "mmdebstrap %s\n", strings.TrimSpace(mmdebstrapVersion))
	fmt.Fprintf(h, "suite %s\nvariant %s\n", baseSuite, baseVariant)
	fmt.Fprintf(h, "include %s\n", strings.Join(baseInclude, ","))
	for _, m := range baseMirrors {
		fmt.Fprintf(h, "mirror %s\n", m)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// baseTarball returns the cached base rootfs tarball, building it with mmdebstrap on a miss.
// It is written to a temporary name and renamed, so an interrupted build leaves no half file.
func baseTarball(t *testing.T) string {
	t.Helper()
	mmdebstrap := testutil.RequireTool(t, "mmdebstrap")
	out, err := exec.CommandContext(t.Context(), mmdebstrap, "--version").Output()
	if err != nil {
		t.Fatalf("mmdebstrap --version: %v", err)
	}
	path := filepath.Join(cacheDir(t), "base-"+baseSuite+"-"+baseKey(string(out))+".tar")
	if _, err := os.Stat(path); err == nil {
		t.Logf("base rootfs: cache hit %s", path)
		return path
	}
	tmp := path + ".tmp"
	args := []string{"--variant=" + baseVariant, "--include=" + strings.Join(baseInclude, ","), "--format=tar", baseSuite, tmp}
	args = append(args, baseMirrors...)
	cmd := exec.CommandContext(t.Context(), mmdebstrap, args...)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		os.Remove(tmp)
		t.Fatalf("mmdebstrap: %v\n%s", err, tail(log.String(), 40))
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatalf("store base rootfs: %v", err)
	}
	t.Logf("base rootfs: built %s", path)
	return path
}

// newRoot unpacks the base tarball into a fresh folder and adds a policy-rc.d that forbids
// every service start, as in any chroot: maintainer scripts must not start daemons here.
func newRoot(t *testing.T, tarball string) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), "tar", "--numeric-owner", "-xpf", tarball, "-C", root)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("unpack %s: %v\n%s", tarball, err, out)
	}
	policy := filepath.Join(root, "usr/sbin/policy-rc.d")
	if err := os.WriteFile(policy, []byte("#!/bin/sh\n# No service starts in a chroot.\nexit 101\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { checkNoMounts(t, root) })
	return root
}

// tail returns the last n lines of s: the part of a long log that says what failed.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("[… %d lines before]", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
