package packer

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/boxbuild/boxbuild/internal/testutil"
)

func TestCachedVersion(t *testing.T) {
	real := testutil.RequireTool(t, "packer")
	// A copy of the real binary, so the test can change its modification time.
	bin := filepath.Join(t.TempDir(), "packer")
	data, err := os.ReadFile(real)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &Packer{Path: bin}
	file := filepath.Join(t.TempDir(), "packer-version.json")
	v1, err := p.CachedVersion(t.Context(), file)
	if err != nil {
		t.Fatal(err)
	}
	// A stale stamp with a bogus version proves the second call reads the file...
	os.WriteFile(file, []byte(`{"path":"`+bin+`","size":`+itoa(len(data))+`,"mod_time":`+mtime(t, bin)+`,"version":"9.9.9"}`), 0o644)
	if v, _ := p.CachedVersion(t.Context(), file); v.String() != "9.9.9" {
		t.Errorf("second call = %v, want the remembered 9.9.9", v)
	}
	// ...and a changed binary is asked again.
	later := time.Now().Add(time.Hour)
	os.Chtimes(bin, later, later)
	if v, _ := p.CachedVersion(t.Context(), file); v.String() != v1.String() {
		t.Errorf("after the binary changed = %v, want %v from packer itself", v, v1)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func mtime(t *testing.T, p string) string {
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(fi.ModTime().UnixNano(), 10)
}
