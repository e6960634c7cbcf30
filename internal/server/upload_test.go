package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/publish"
)

// snapshot lists every file in dir with its size, to prove a refused upload changed nothing.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && filepath.Base(p) != "lock" {
			rel, _ := filepath.Rel(dir, p)
			b.WriteString(rel + " " + string(rune('0'+info.Size()%10)) + "\n")
			if strings.HasSuffix(p, ".json") {
				c, _ := os.ReadFile(p)
				b.Write(c)
			}
		}
		return nil
	})
	return b.String()
}

func put(t *testing.T, url, token, sum string, body []byte) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("PUT", url, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if sum != "" {
		req.Header.Set(publish.HeaderChecksum, sum)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestUploadRefusals(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir, "right-token", 1<<20)
	old := makeBox(t, "libvirt", "1.0.0")
	publishBytes(t, dir, ts.URL, catalog.Entry{Org: "lab", Box: "deb12", Version: "1.0.0", Provider: "libvirt", Arch: "amd64"}, old)
	box := makeBox(t, "libvirt", "1.1.0")
	u := ts.URL + "/lab/deb12/1.1.0/libvirt/amd64.box"
	big := bytes.Repeat([]byte("x"), 2<<20)
	before := snapshot(t, dir)

	tests := []struct {
		name, url, token, sum string
		body                  []byte
		want                  int
	}{
		{"no token", u, "", sumHex(box), box, 401},
		{"wrong token", u, "wrong-token", sumHex(box), box, 401},
		{"token prefix", u, "right", sumHex(box), box, 401},
		{"no checksum", u, "right-token", "", box, 400},
		{"malformed checksum", u, "right-token", "abc", box, 400},
		{"mismatching content", u, "right-token", sumHex(old), box, 422},
		{"oversized", u, "right-token", sumHex(big), big, 413},
		{"existing version, other content", ts.URL + "/lab/deb12/1.0.0/libvirt/amd64.box", "right-token", sumHex(box), box, 409},
		{"traversal in the version", ts.URL + "/lab/deb12/..%2f..%2fx/libvirt/amd64.box", "right-token", sumHex(box), box, 404},
		{"bad version", ts.URL + "/lab/deb12/v1.1/libvirt/amd64.box", "right-token", sumHex(box), box, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if resp := put(t, tt.url, tt.token, tt.sum, tt.body); resp.StatusCode != tt.want {
				t.Errorf("PUT = %d, want %d", resp.StatusCode, tt.want)
			}
			if after := snapshot(t, dir); after != before {
				t.Errorf("a refused upload changed the catalog:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
	// The same content again is a no-op success.
	if resp := put(t, ts.URL+"/lab/deb12/1.0.0/libvirt/amd64.box", "right-token", sumHex(old), old); resp.StatusCode != 200 {
		t.Errorf("same content again: %d, want 200", resp.StatusCode)
	}
	if resp := put(t, u, "right-token", sumHex(box), box); resp.StatusCode != 201 {
		t.Fatalf("good upload: %d, want 201", resp.StatusCode)
	}
	_, meta := get(t, "GET", ts.URL+"/lab/deb12", nil)
	if !strings.Contains(string(meta), sumHex(box)) {
		t.Errorf("uploaded version missing from metadata: %s", meta)
	}
	s, _ := catalog.Open(dir, ts.URL)
	if err := s.Verify(true); err != nil {
		t.Error(err)
	}
}

func TestReadOnlyWithoutToken(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir, "", 0)
	box := makeBox(t, "libvirt", "1")
	if resp := put(t, ts.URL+"/lab/deb12/1.0.0/libvirt/amd64.box", "anything", sumHex(box), box); resp.StatusCode != 403 {
		t.Errorf("PUT on a read-only server = %d, want 403", resp.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(dir, "lab")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only server created files: %v", err)
	}
}

func TestPublishToServer(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir, "tok", 0)
	box := makeBox(t, "libvirt", "3")
	f := filepath.Join(t.TempDir(), "x.box")
	os.WriteFile(f, box, 0o644)
	pub := &publish.Server{URL: ts.URL, Token: "tok"}
	for _, tt := range []struct{ name, version, sum string }{
		{"checksum in a header", "3.0.0", sumHex(box)},
		{"checksum in a trailer", "3.0.1", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := catalog.Entry{Org: "lab", Box: "deb12", Version: tt.version, Provider: "libvirt", Arch: "amd64"}
			res, err := pub.Publish(context.Background(), publish.Box{Entry: e, File: f, Sha256: tt.sum, Description: "Débian & co"})
			if err != nil || res.Unchanged {
				t.Fatalf("Publish = %+v, %v", res, err)
			}
			res, err = pub.Publish(context.Background(), publish.Box{Entry: e, File: f, Sha256: tt.sum})
			if err != nil || !res.Unchanged {
				t.Errorf("again = %+v, %v; want unchanged", res, err)
			}
		})
	}
	other := filepath.Join(t.TempDir(), "y.box")
	os.WriteFile(other, makeBox(t, "libvirt", "other"), 0o644)
	e := catalog.Entry{Org: "lab", Box: "deb12", Version: "3.0.1", Provider: "libvirt", Arch: "amd64"}
	if _, err := pub.Publish(context.Background(), publish.Box{Entry: e, File: other}); !errors.Is(err, catalog.ErrConflict) {
		t.Errorf("conflicting upload via trailer = %v; want ErrConflict", err)
	}
	bad := &publish.Server{URL: ts.URL, Token: "nope"}
	if _, err := bad.Publish(context.Background(), publish.Box{Entry: e, File: f}); err == nil || strings.Contains(err.Error(), "nope") {
		t.Errorf("bad token = %v; want an error that does not echo the token", err)
	}
	s, _ := catalog.Open(dir, ts.URL)
	r, _ := s.Load("lab", "deb12")
	if r.Description != "Débian & co" || len(r.Versions) != 2 {
		t.Errorf("record = %+v", r)
	}
}
