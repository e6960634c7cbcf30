package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boxbuild/boxbuild/internal/artifact"
	"github.com/boxbuild/boxbuild/internal/catalog"
)

// run executes boxbuild in-process from dir and returns exit code, stdout and stderr.
func run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	g := &Globals{Stdout: &out, Stderr: &errb}
	code := Run(context.Background(), g, append([]string{"-C", dir}, args...))
	return code, out.String(), errb.String()
}

func mustRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	code, out, errs := run(t, dir, args...)
	if code != 0 {
		t.Fatalf("boxbuild %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func randomFile(t *testing.T, path string, n int) string {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Without a workspace: --dir and --base-url are all a teacher needs.
func TestPublishFileAndManageVersions(t *testing.T) {
	tmp := t.TempDir()
	cat := filepath.Join(tmp, "catalog")
	box := filepath.Join(tmp, "teacher.box")
	sum := randomFile(t, box, 4096)

	code, _, errs := run(t, tmp, "publish", "--file", box, "--name", "lab/deb12", "--version", "1.0.0", "--provider", "libvirt", "--dir", cat)
	if code != ExitFailure || !strings.Contains(errs, "--base-url") {
		t.Errorf("publish into a new catalog without --base-url: exit %d, %q; want 1 asking for --base-url", code, errs)
	}
	for _, v := range []string{"1.0.0", "1.1.0", "1.2.0"} {
		out := mustRun(t, tmp, "publish", "--file", box, "--name", "lab/deb12", "--version", v, "--provider", "libvirt", "--dir", cat, "--base-url", "http://127.0.0.1:8099")
		if want := "published lab/deb12@" + v + " libvirt/amd64 sha256:" + sum + " (copy)"; !strings.Contains(out, want) {
			t.Errorf("stdout %q; want %q", out, want)
		}
	}
	// Later commands find the base URL in the catalog.
	if out := mustRun(t, tmp, "publish", "--file", box, "--name", "lab/deb12", "--version", "1.0.0", "--provider", "libvirt", "--dir", cat); !strings.HasPrefix(out, "unchanged ") {
		t.Errorf("same content again: %q", out)
	}
	other := filepath.Join(tmp, "other.box")
	randomFile(t, other, 100)
	if code, _, errs := run(t, tmp, "publish", "--file", other, "--name", "lab/deb12", "--version", "1.0.0", "--provider", "libvirt", "--dir", cat); code != ExitFailure || !strings.Contains(errs, "already published") {
		t.Errorf("other content under 1.0.0: exit %d, %q", code, errs)
	}
	if code, _, _ := run(t, tmp, "publish", "--file", box, "--name", "lab/deb12", "--version", "v2", "--provider", "libvirt", "--dir", cat); code != ExitUsage {
		t.Errorf("bad version: exit %d, want %d", code, ExitUsage)
	}

	mustRun(t, tmp, "revoke", "lab/deb12@1.1.0", "--dir", cat)
	meta, _ := os.ReadFile(filepath.Join(cat, "lab", "deb12.json"))
	if strings.Contains(string(meta), `"1.1.0"`) || !strings.Contains(string(meta), "http://127.0.0.1:8099/lab/deb12/1.2.0/libvirt/amd64.box") {
		t.Errorf("metadata after revoke:\n%s", meta)
	}
	mustRun(t, tmp, "release", "lab/deb12@1.1.0", "--dir", cat)
	if code, _, errs := run(t, tmp, "delete", "lab/deb12@1.2.0", "--dir", cat); code != ExitFailure || !strings.Contains(errs, "newest") {
		t.Errorf("delete newest: exit %d, %q", code, errs)
	}
	if code, _, errs := run(t, tmp, "delete", "lab/deb12@9.9.9", "--dir", cat); code != ExitFailure || !strings.Contains(errs, "no such version") {
		t.Errorf("delete missing: exit %d, %q", code, errs)
	}
	if out := mustRun(t, tmp, "prune", "--keep", "1", "-n", "--dir", cat); out != "would remove lab/deb12@1.1.0\nwould remove lab/deb12@1.0.0\n" {
		t.Errorf("prune -n: %q", out)
	}
	mustRun(t, tmp, "delete", "lab/deb12@1.0.0", "--dir", cat)
	if out := mustRun(t, tmp, "prune", "--keep", "1", "--dir", cat); out != "removed lab/deb12@1.1.0\n" {
		t.Errorf("prune: %q", out)
	}
	s, _ := catalog.Open(cat, "")
	if err := s.Verify(true); err != nil {
		t.Error(err)
	}
}

// With the school's workspace: artifacts are linked into the workspace catalog, and a
// running semester's pin protects its versions from delete and prune.
func TestPublishArtifactsAndPins(t *testing.T) {
	tmp := t.TempDir()
	ws := filepath.Join(tmp, "school")
	mustRun(t, tmp, "init", ws)
	now := time.Now()
	sem := `semester "NOW" {
  starts = "` + now.AddDate(0, 0, -10).Format("2006-01-02") + `"
  ends   = "` + now.AddDate(0, 0, 30).Format("2006-01-02") + `"
  course "m151" {
    box     = "lamp"
    version = "~> 2.1.0"
  }
}
`
	matches, _ := filepath.Glob(filepath.Join(ws, "semesters", "*.hcl"))
	for _, m := range matches {
		os.Remove(m)
	}
	if err := os.WriteFile(filepath.Join(ws, "semesters", "now.hcl"), []byte(sem), 0o644); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(ws, ".boxbuild")
	for _, v := range []string{"2.1.0", "2.1.1", "2.2.0"} {
		f := filepath.Join(tmp, "lamp-"+v+".box")
		sum := randomFile(t, f, 2048)
		a := &artifact.Artifact{Box: "lamp", Version: v, Provider: "libvirt", Arch: "amd64", File: f, Sha256: sum, Size: 2048, BuiltAt: now}
		if err := artifact.Write(state, a); err != nil {
			t.Fatal(err)
		}
		out := mustRun(t, ws, "publish", "lamp")
		if !strings.Contains(out, "published tbz/lamp@"+v+" libvirt/amd64") || !strings.Contains(out, "(link)") {
			t.Errorf("publish lamp %s: %q", v, out)
		}
	}
	if out := mustRun(t, ws, "publish", "lamp"); !strings.HasPrefix(out, "unchanged tbz/lamp@2.2.0") {
		t.Errorf("publishing the same artifact again: %q", out)
	}
	if code, _, errs := run(t, ws, "publish", "debian12"); code != ExitFailure || !strings.Contains(errs, "no built artifact") {
		t.Errorf("box without artifact: exit %d, %q", code, errs)
	}
	if code, _, errs := run(t, ws, "delete", "lamp@2.1.0"); code != ExitFailure || !strings.Contains(errs, "pinned by semester NOW") {
		t.Errorf("delete pinned: exit %d, %q", code, errs)
	}
	if out := mustRun(t, ws, "prune", "--keep", "1", "-n"); out != "" {
		t.Errorf("prune -n with everything pinned or newest: %q", out)
	}
	meta, err := os.ReadFile(filepath.Join(ws, "catalog", "tbz", "lamp.json"))
	if err != nil || !strings.Contains(string(meta), "http://127.0.0.1:8099/tbz/lamp/2.2.0/libvirt/amd64.box") {
		t.Errorf("workspace catalog metadata: %v\n%s", err, meta)
	}
}
