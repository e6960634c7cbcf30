package publish

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

func writeRandom(t testing.TB, path string, n int) string {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestLocalPublish(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "built.box")
	want := writeRandom(t, src, 3<<20+17) // not a multiple of the copy buffer
	s, err := catalog.Open(filepath.Join(dir, "catalog"), "http://127.0.0.1:8099")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		link       bool
		version    string
		knownSum   string
		wantMethod string
	}{
		{"copy computes the checksum", false, "1.0.0", "", "copy"},
		{"link on the same filesystem", true, "1.0.1", want, "link"},
		{"copy verifies a known checksum", false, "1.0.2", want, "copy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Local{Store: s, Link: tt.link}
			e := catalog.Entry{Org: "lab", Box: "deb12", Version: tt.version, Provider: "libvirt", Arch: "amd64"}
			res, err := l.Publish(context.Background(), Box{Entry: e, File: src, Sha256: tt.knownSum})
			if err != nil {
				t.Fatal(err)
			}
			if res.Sha256 != want || res.Method != tt.wantMethod || res.Unchanged {
				t.Errorf("Publish = %+v; want sha256 %s via %s", res, want, tt.wantMethod)
			}
			again, err := l.Publish(context.Background(), Box{Entry: e, File: src})
			if err != nil || !again.Unchanged {
				t.Errorf("second Publish = %+v, %v; want unchanged", again, err)
			}
		})
	}
	if err := s.Verify(true); err != nil {
		t.Errorf("Verify: %v", err)
	}

	other := filepath.Join(dir, "other.box")
	writeRandom(t, other, 1000)
	l := &Local{Store: s}
	e := catalog.Entry{Org: "lab", Box: "deb12", Version: "1.0.0", Provider: "libvirt", Arch: "amd64"}
	if _, err := l.Publish(context.Background(), Box{Entry: e, File: other}); !errors.Is(err, catalog.ErrConflict) {
		t.Errorf("different content under 1.0.0 = %v; want ErrConflict", err)
	}
	e.Version = "1.0.3"
	if _, err := l.Publish(context.Background(), Box{Entry: e, File: other, Sha256: want}); err == nil {
		t.Errorf("a file that does not match its build record's checksum was published")
	}
	if r, _ := s.Load("lab", "deb12"); r.Find("1.0.3") != nil {
		t.Errorf("the mismatching file reached the record")
	}
}

func TestReadToken(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	os.WriteFile(file, []byte("from-file\n"), 0o600)
	t.Setenv("BB_TEST_TOKEN", "from-env")
	t.Setenv("BB_EMPTY", "")
	tests := []struct {
		env, file, want string
		wantErr         bool
	}{
		{"BB_TEST_TOKEN", file, "from-env", false},
		{"BB_EMPTY", file, "from-file", false},
		{"BB_EMPTY", "", "", true},
		{"", filepath.Join(dir, "missing"), "", true},
	}
	for _, tt := range tests {
		got, err := ReadToken(tt.env, tt.file)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ReadToken(%q, %q) = %q, %v; want %q, error %v", tt.env, tt.file, got, err, tt.want, tt.wantErr)
		}
	}
}
