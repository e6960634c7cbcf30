package bootstrap

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boxbuild/boxbuild/internal/testutil"
)

func TestCheckHost(t *testing.T) {
	all := func(string) (string, error) { return "/usr/bin/x", nil }
	none := func(string) (string, error) { return "", exec.ErrNotFound }
	tests := []struct {
		name     string
		euid     int
		lookPath func(string) (string, error)
		want     string
	}{
		{"not root", 1000, all, "needs root"},
		{"not a Debian host", 0, none, `needs a Debian host with mmdebstrap; missing: mmdebstrap (package mmdebstrap), mkfs.ext4 (package e2fsprogs)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkHostAs(tt.euid, tt.lookPath)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("checkHostAs() = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestEnsureCancelled cancels a real build while mmdebstrap works in its chroot: Ensure
// must return, unmount what mmdebstrap mounted, and leave neither a temporary folder nor
// a cache entry behind.
func TestEnsureCancelled(t *testing.T) {
	testutil.RequireRoot(t)
	testutil.RequireTool(t, "mmdebstrap")
	cache := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	var log bytes.Buffer
	done := make(chan error, 1)
	go func() { _, err := Ensure(ctx, Spec{}, cache, &log); done <- err }()
	// Wait until mmdebstrap has mounted inside the rootfs, the dangerous moment to stop.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		m, _ := mountsUnder(cache)
		if len(m) > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("Ensure ended before it could be cancelled: %v\n%s", err, log.String())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("mmdebstrap never mounted anything in the chroot")
		}
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Ensure() = %v, want a cancelled build", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("Ensure did not return after cancellation")
	}
	if m, _ := mountsUnder(cache); len(m) > 0 {
		t.Errorf("still mounted: %v", m)
	}
	ents, _ := os.ReadDir(cache)
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".lock") { // the lock file stays, empty, for the next build
			t.Errorf("left in the cache: %s", filepath.Join(cache, e.Name()))
		}
	}
}
