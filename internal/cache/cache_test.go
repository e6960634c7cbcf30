package cache

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boxbuild/boxbuild/internal/artifact"
)

func entry(t *testing.T, dir string) *Entry {
	t.Helper()
	box := filepath.Join(dir, "lamp.box")
	if err := os.WriteFile(box, []byte("box bytes"), 0o644); err != nil {
		t.Fatal(err)
	}
	return &Entry{
		ActionID: strings.Repeat("ab", 32),
		Lines:    []string{"packer 1.6.6"},
		Artifact: artifact.Artifact{Box: "lamp", Version: "2.1.0", Provider: "libvirt", Arch: "amd64",
			File: box, Sha256: strings.Repeat("0", 64), Size: 9, BuiltAt: time.Unix(0, 0).UTC()},
	}
}

func TestPutGet(t *testing.T) {
	dir := t.TempDir()
	c := Open(dir)
	e := entry(t, dir)
	if _, ok := c.Get(e.ActionID); ok {
		t.Fatal("Get on an empty cache hit")
	}
	if err := c.Put(e); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get(e.ActionID)
	if !ok || got.Artifact.Version != "2.1.0" {
		t.Fatalf("Get = %+v, %v", got, ok)
	}
	last, ok := c.Last("lamp", "libvirt", "amd64")
	if !ok || last.ActionID != e.ActionID {
		t.Fatalf("Last = %+v, %v", last, ok)
	}
}

func TestMissCases(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, c *Cache, e *Entry)
	}{
		{"malformed entry", func(t *testing.T, c *Cache, e *Entry) {
			if err := os.WriteFile(c.entryPath(e.ActionID), []byte("{not json"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"box file removed", func(t *testing.T, c *Cache, e *Entry) { os.Remove(e.Artifact.File) }},
		{"box file changed size", func(t *testing.T, c *Cache, e *Entry) {
			if err := os.WriteFile(e.Artifact.File, []byte("other"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"entry under another id", func(t *testing.T, c *Cache, e *Entry) {
			data, _ := os.ReadFile(c.entryPath(e.ActionID))
			os.WriteFile(c.entryPath(e.ActionID), []byte(strings.Replace(string(data), e.ActionID, strings.Repeat("cd", 32), 1)), 0o644)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			c := Open(dir)
			e := entry(t, dir)
			if err := c.Put(e); err != nil {
				t.Fatal(err)
			}
			tt.spoil(t, c, e)
			if _, ok := c.Get(e.ActionID); ok {
				t.Errorf("Get hit after %s", tt.name)
			}
		})
	}
	if _, ok := Open(t.TempDir()).Get("../../etc/passwd"); ok {
		t.Error("Get accepted a path as an id")
	}
}
