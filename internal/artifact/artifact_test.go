package artifact

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func rec(dir, box, ver, prov, arch string) *Artifact {
	return &Artifact{
		Box: box, Version: ver, Provider: prov, Arch: arch,
		File:    filepath.Join(dir, box+"-"+ver+"-"+prov+"-"+arch+".box"),
		Sha256:  strings.Repeat("ab", 32),
		Size:    42,
		BuiltAt: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC),
	}
}

func TestWriteListLatest(t *testing.T) {
	dir := t.TempDir()
	recs := []*Artifact{
		rec(dir, "lamp", "2.1.10", "libvirt", "amd64"),
		rec(dir, "lamp", "2.1.9", "libvirt", "amd64"),
		rec(dir, "lamp", "2.1.2", "libvirt", "arm64"),
		rec(dir, "lamp", "2.1.3", "virtualbox", "amd64"),
		rec(dir, "debian12", "1.4.0", "libvirt", "amd64"),
	}
	for _, r := range recs {
		if err := Write(dir, r); err != nil {
			t.Fatalf("Write(%s %s): %v", r.Box, r.Version, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "artifacts", "lamp", "2.1.10", "libvirt-amd64.json")); err != nil {
		t.Fatalf("record not at its documented path: %v", err)
	}

	all, err := List(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range all {
		got = append(got, a.Box+"@"+a.Version+"/"+a.Provider+"/"+a.Arch)
	}
	want := []string{"debian12@1.4.0/libvirt/amd64", "lamp@2.1.2/libvirt/arm64", "lamp@2.1.3/virtualbox/amd64", "lamp@2.1.9/libvirt/amd64", "lamp@2.1.10/libvirt/amd64"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("List() mismatch (-want +got):\n%s", d)
	}

	latest, err := Latest(dir, "lamp")
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, a := range latest {
		got = append(got, a.Version+"/"+a.Provider+"/"+a.Arch)
	}
	want = []string{"2.1.10/libvirt/amd64", "2.1.2/libvirt/arm64", "2.1.3/virtualbox/amd64"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Latest() mismatch (-want +got):\n%s", d)
	}
	if d := cmp.Diff(recs[0], latest[0]); d != "" {
		t.Errorf("record did not round-trip (-want +got):\n%s", d)
	}
}

func TestListEmptyAndMalformed(t *testing.T) {
	dir := t.TempDir()
	got, err := List(dir)
	if err != nil || len(got) != 0 {
		t.Fatalf("List(empty) = %v, %v; want nothing, no error", got, err)
	}
	bad := filepath.Join(dir, "artifacts", "x", "1.0.0", "libvirt-amd64.json")
	if err := os.MkdirAll(filepath.Dir(bad), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{"box":"x"`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := List(dir); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("List(malformed) error = %v; want one naming %s", err, bad)
	}
}

func TestWriteRejectsInvalid(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		edit func(*Artifact)
	}{
		{"traversal in box", func(a *Artifact) { a.Box = "../etc" }},
		{"bad version", func(a *Artifact) { a.Version = "v1.x" }},
		{"relative file", func(a *Artifact) { a.File = "out/x.box" }},
		{"short checksum", func(a *Artifact) { a.Sha256 = "abc" }},
		{"slash in arch", func(a *Artifact) { a.Arch = "amd64/x" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := rec(dir, "lamp", "1.0.0", "libvirt", "amd64")
			tt.edit(a)
			if err := Write(dir, a); err == nil {
				t.Errorf("Write accepted an invalid record %+v", a)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "artifacts")); err == nil {
		t.Errorf("invalid records left files behind")
	}
}
