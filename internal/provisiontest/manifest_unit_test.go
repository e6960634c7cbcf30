package provisiontest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDiffManifests proves the snapshot sees each kind of change the idempotence test relies
// on, and ignores the volatile folders and a rewrite with the same bytes.
func TestDiffManifests(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string, mode os.FileMode) {
		t.Helper()
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	write("etc/same", "a\n", 0o644)
	write("etc/rewritten", "b\n", 0o644)
	write("etc/content", "c\n", 0o644)
	write("etc/mode", "d\n", 0o644)
	write("etc/gone", "e\n", 0o644)
	write("var/log/apt/history.log", "1\n", 0o644)
	if err := os.Symlink("/usr/share/zoneinfo/UTC", filepath.Join(root, "etc/localtime")); err != nil {
		t.Fatal(err)
	}

	h := newHasher()
	before, err := h.snapshot(root)
	if err != nil {
		t.Fatal(err)
	}
	write("etc/rewritten", "b\n", 0o644)
	write("etc/content", "C\n", 0o644)
	write("etc/mode", "d\n", 0o600)
	write("etc/new", "f\n", 0o644)
	write("var/log/apt/history.log", "2\n", 0o644)
	os.Remove(filepath.Join(root, "etc/gone"))
	os.Remove(filepath.Join(root, "etc/localtime"))
	if err := os.Symlink("/usr/share/zoneinfo/Europe/Zurich", filepath.Join(root, "etc/localtime")); err != nil {
		t.Fatal(err)
	}
	after, err := h.snapshot(root)
	if err != nil {
		t.Fatal(err)
	}

	var got []string
	for _, line := range diffManifests(before, after) {
		got = append(got, line[:9]+filepath.Base(line[9:indexSpace(line[9:])+9]))
	}
	want := []string{
		"changed  content",
		"removed  gone",
		"changed  localtime",
		"changed  mode",
		"added    new",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diffManifests() mismatch (-want +got):\n%s", diff)
	}
}

func indexSpace(s string) int {
	for i, r := range s {
		if r == ' ' {
			return i
		}
	}
	return len(s)
}
