package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// put publishes data as e the way every publisher does: write the pending file, then commit.
func put(t *testing.T, s *Store, e Entry, data []byte) (Result, error) {
	t.Helper()
	p, err := s.Create(e)
	if err != nil {
		return Result{}, err
	}
	if _, err := p.File().Write(data); err != nil {
		p.Abort()
		t.Fatal(err)
	}
	return p.Commit(sum(data), int64(len(data)), "Test box")
}

func mustPut(t *testing.T, s *Store, e Entry, data []byte) {
	t.Helper()
	if _, err := put(t, s, e, data); err != nil {
		t.Fatalf("publish %s: %v", e.RelPath(), err)
	}
}

func served(t *testing.T, s *Store, org, box string) *Metadata {
	t.Helper()
	b, err := os.ReadFile(s.MetadataPath(org, box))
	if err != nil {
		t.Fatal(err)
	}
	var m Metadata
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("metadata is not JSON: %v", err)
	}
	return &m
}

func versions(m *Metadata) []string {
	out := []string{}
	for _, v := range m.Versions {
		out = append(out, v.Version)
	}
	return out
}

func TestPublishRendersVagrantMetadata(t *testing.T) {
	s, err := Open(t.TempDir(), "http://127.0.0.1:8099/")
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, Entry{"lab", "deb12", "10.0.0", "libvirt", "amd64"}, []byte("ten"))
	mustPut(t, s, Entry{"lab", "deb12", "9.0.0", "libvirt", "amd64"}, []byte("nine"))
	mustPut(t, s, Entry{"lab", "deb12", "9.0.0", "libvirt", "arm64"}, []byte("nine-arm"))
	mustPut(t, s, Entry{"lab", "deb12", "9.0.0", "virtualbox", "amd64"}, []byte("nine-vb"))

	want := &Metadata{Name: "lab/deb12", Description: "Test box", Versions: []*Version{
		{Version: "9.0.0", Providers: []*Provider{
			// arm64 first: Vagrant 2.3.4 keeps the last entry of a name, which must be the default.
			{Name: "libvirt", URL: "http://127.0.0.1:8099/lab/deb12/9.0.0/libvirt/arm64.box", ChecksumType: "sha256", Checksum: sum([]byte("nine-arm")), Architecture: "arm64"},
			{Name: "libvirt", URL: "http://127.0.0.1:8099/lab/deb12/9.0.0/libvirt/amd64.box", ChecksumType: "sha256", Checksum: sum([]byte("nine")), Architecture: "amd64", DefaultArchitecture: true},
			{Name: "virtualbox", URL: "http://127.0.0.1:8099/lab/deb12/9.0.0/virtualbox/amd64.box", ChecksumType: "sha256", Checksum: sum([]byte("nine-vb")), Architecture: "amd64", DefaultArchitecture: true},
		}},
		{Version: "10.0.0", Providers: []*Provider{
			{Name: "libvirt", URL: "http://127.0.0.1:8099/lab/deb12/10.0.0/libvirt/amd64.box", ChecksumType: "sha256", Checksum: sum([]byte("ten")), Architecture: "amd64", DefaultArchitecture: true},
		}},
	}}
	if d := cmp.Diff(want, served(t, s, "lab", "deb12")); d != "" {
		t.Errorf("served metadata mismatch (-want +got):\n%s", d)
	}
	got, err := os.ReadFile(filepath.Join(s.Dir, "lab/deb12/9.0.0/libvirt/arm64.box"))
	if err != nil || string(got) != "nine-arm" {
		t.Errorf("box file = %q, %v; want the published content", got, err)
	}
	if err := s.Verify(true); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestPublishIsImmutable(t *testing.T) {
	s, _ := Open(t.TempDir(), "http://h")
	e := Entry{"lab", "deb12", "1.0.0", "libvirt", "amd64"}
	mustPut(t, s, e, []byte("one"))
	before, _ := os.ReadFile(s.RecordPath("lab", "deb12"))

	res, err := put(t, s, e, []byte("one"))
	if err != nil || !res.Unchanged {
		t.Errorf("same content again = %+v, %v; want an unchanged success", res, err)
	}
	if _, err := put(t, s, e, []byte("other")); !errors.Is(err, ErrConflict) {
		t.Errorf("different content = %v; want ErrConflict", err)
	}
	after, _ := os.ReadFile(s.RecordPath("lab", "deb12"))
	if d := cmp.Diff(string(before), string(after)); d != "" {
		t.Errorf("record changed (-before +after):\n%s", d)
	}
	if b, _ := os.ReadFile(filepath.Join(s.Dir, e.RelPath())); string(b) != "one" {
		t.Errorf("box content = %q, want the first publish", b)
	}
	left, _ := filepath.Glob(filepath.Join(s.Dir, "lab/deb12/1.0.0/libvirt", tempPrefix+"*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestCommitChecksSize(t *testing.T) {
	s, _ := Open(t.TempDir(), "http://h")
	p, err := s.Create(Entry{"lab", "deb12", "1.0.0", "libvirt", "amd64"})
	if err != nil {
		t.Fatal(err)
	}
	p.File().Write([]byte("abc"))
	if _, err := p.Commit(sum([]byte("abc")), 4, ""); err == nil {
		t.Fatal("Commit accepted a wrong size")
	}
	if _, err := s.Load("lab", "deb12"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a failed commit created a record: %v", err)
	}
}

func TestInvalidEntries(t *testing.T) {
	s, _ := Open(t.TempDir(), "http://h")
	for _, e := range []Entry{
		{"..", "deb12", "1.0.0", "libvirt", "amd64"},
		{"lab", "../x", "1.0.0", "libvirt", "amd64"},
		{"lab", "deb12", "v1.0", "libvirt", "amd64"},
		{"lab", "deb12", "1.0.0+build5", "libvirt", "amd64"},
		{"lab", "deb12", "1.0.0", "lib/virt", "amd64"},
		{"lab", "deb12", "1.0.0", "libvirt", ".hidden"},
		{"api", "deb12", "1.0.0", "libvirt", "amd64"},
		{"lab", "x.json", "1.0.0", "libvirt", "amd64"},
	} {
		t.Run(e.RelPath(), func(t *testing.T) {
			if _, err := s.Create(e); !errors.Is(err, ErrInvalid) {
				t.Errorf("Create(%+v) = %v; want ErrInvalid", e, err)
			}
		})
	}
}

func TestRevokeReleaseDelete(t *testing.T) {
	s, _ := Open(t.TempDir(), "http://h")
	for _, v := range []string{"1.0.0", "1.1.0", "2.0.0"} {
		mustPut(t, s, Entry{"lab", "deb12", v, "libvirt", "amd64"}, []byte(v))
	}
	if err := s.Revoke("lab", "deb12", "1.1.0"); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"1.0.0", "2.0.0"}, versions(served(t, s, "lab", "deb12"))); d != "" {
		t.Errorf("after revoke (-want +got):\n%s", d)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "lab/deb12/1.1.0/libvirt/amd64.box")); err != nil {
		t.Errorf("revoke removed the file: %v", err)
	}
	if err := s.Release("lab", "deb12", "1.1.0"); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"1.0.0", "1.1.0", "2.0.0"}, versions(served(t, s, "lab", "deb12"))); d != "" {
		t.Errorf("after release (-want +got):\n%s", d)
	}

	pins := PinSet{{Semester: "HS26", Box: "lab/deb12", Constraint: "~> 1.0.0"}}
	if err := s.Delete("lab", "deb12", "2.0.0", nil); !errors.Is(err, ErrProtected) {
		t.Errorf("Delete(newest) = %v; want ErrProtected", err)
	}
	if err := s.Delete("lab", "deb12", "1.0.0", pins); !errors.Is(err, ErrProtected) {
		t.Errorf("Delete(pinned) = %v; want ErrProtected", err)
	}
	if err := s.Delete("lab", "deb12", "3.0.0", pins); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete(missing) = %v; want ErrNotFound", err)
	}
	if err := s.Delete("lab", "deb12", "1.1.0", pins); err != nil {
		t.Fatalf("Delete(1.1.0): %v", err)
	}
	if d := cmp.Diff([]string{"1.0.0", "2.0.0"}, versions(served(t, s, "lab", "deb12"))); d != "" {
		t.Errorf("after delete (-want +got):\n%s", d)
	}
	if _, err := os.Stat(filepath.Join(s.Dir, "lab/deb12/1.1.0")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("delete left the version folder: %v", err)
	}
	if err := s.Verify(true); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

func TestBaseURLIsRemembered(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir, "https://boxes.example/")
	if err := s.SaveBaseURL(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir, "")
	if err != nil || again.BaseURL != "https://boxes.example" {
		t.Errorf("Open(dir, \"\").BaseURL = %q, %v; want the saved one", again.BaseURL, err)
	}
	if other, _ := Open(dir, "http://other"); other.BaseURL != "http://other" {
		t.Errorf("an explicit base URL must win, got %q", other.BaseURL)
	}
	names, err := s.Boxes()
	if err != nil || len(names) != 0 {
		t.Errorf("settings.json listed as a box: %v, %v", names, err)
	}
}
