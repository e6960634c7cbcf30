// Package testutil holds helpers shared by tests that drive real tools.
package testutil

import (
	"os"
	"os/exec"
	"testing"
)

// RequireTool returns the path of a real tool the test needs (packer, vagrant, qemu-img, …).
// When it is missing, the test fails under CI=true — CI must install it — and is skipped with
// the reason elsewhere, so a developer without the tool still gets a quick run.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required under CI=true but is not installed: %v", name, err)
	}
	t.Skipf("%s not installed (CI=true makes this a failure): %v", name, err)
	return ""
}

// RequireRoot fails under CI=true and skips elsewhere when the test is not run as root
// (mmdebstrap chroots, loop devices, libvirt).
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("this test needs root under CI=true")
	}
	t.Skip("needs root (CI=true makes this a failure)")
}

// Slow skips a test that takes minutes (real VM builds, vagrant up) unless BOXBUILD_SLOW=1 or
// CI=true, so `go test ./...` on a laptop stays quick while CI runs everything.
func Slow(t testing.TB) {
	t.Helper()
	if os.Getenv("BOXBUILD_SLOW") == "1" || os.Getenv("CI") == "true" {
		return
	}
	t.Skip("slow test: set BOXBUILD_SLOW=1 (CI=true runs it)")
}
