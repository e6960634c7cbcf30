package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

func TestMetadataRoutes(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir, "", 0)
	box := makeBox(t, "libvirt", "1.0.0")
	publishBytes(t, dir, "http://elsewhere.example", catalog.Entry{Org: "lab", Box: "deb12", Version: "1.0.0", Provider: "libvirt", Arch: "amd64"}, box)

	for _, path := range []string{"/lab/deb12", "/lab/deb12.json", "/api/v2/vagrant/lab/deb12"} {
		for _, method := range []string{"HEAD", "GET"} {
			t.Run(method+path, func(t *testing.T) {
				resp, body := get(t, method, ts.URL+path, map[string]string{"Accept": "application/json", "Accept-Encoding": "gzip"})
				if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
					t.Fatalf("status %d, Content-Type %q; want 200 application/json", resp.StatusCode, resp.Header.Get("Content-Type"))
				}
				if ce := resp.Header.Get("Content-Encoding"); ce != "" {
					t.Errorf("Content-Encoding %q; Vagrant needs identity", ce)
				}
				if method == "HEAD" {
					return
				}
				var m catalog.Metadata
				if err := json.Unmarshal(body, &m); err != nil {
					t.Fatal(err)
				}
				// The server's own base URL, not the one the publisher used.
				want := ts.URL + "/lab/deb12/1.0.0/libvirt/amd64.box"
				if m.Name != "lab/deb12" || len(m.Versions) != 1 || m.Versions[0].Providers[0].URL != want {
					t.Errorf("metadata = %s; want name lab/deb12 and URL %s", body, want)
				}
			})
		}
	}
	if resp, _ := get(t, "GET", ts.URL+"/lab/nothere", nil); resp.StatusCode != 404 {
		t.Errorf("unknown box: status %d, want 404", resp.StatusCode)
	}
	if resp, _ := get(t, "GET", ts.URL+"/healthz", nil); resp.StatusCode != 200 {
		t.Errorf("/healthz: status %d", resp.StatusCode)
	}
}

func TestBoxDownloads(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir, "", 0)
	box := makeBox(t, "libvirt", "1.0.0")
	sum := publishBytes(t, dir, ts.URL, catalog.Entry{Org: "lab", Box: "deb12", Version: "1.0.0", Provider: "libvirt", Arch: "amd64"}, box)
	publishBytes(t, dir, ts.URL, catalog.Entry{Org: "lab", Box: "deb12", Version: "2.0.0", Provider: "libvirt", Arch: "amd64"}, makeBox(t, "libvirt", "2"))
	url := ts.URL + "/lab/deb12/1.0.0/libvirt/amd64.box"
	size := len(box)
	tests := []struct {
		name       string
		rangeHdr   string
		wantStatus int
		wantBody   []byte
	}{
		{"whole file", "", 200, box},
		{"resume from the middle", "bytes=100-", 206, box[100:]},
		{"complete temp file: 200, never 416", fmt.Sprintf("bytes=%d-", size), 200, box},
		{"past the end: 200", fmt.Sprintf("bytes=%d-", size+5), 200, box},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := map[string]string{}
			if tt.rangeHdr != "" {
				hdr["Range"] = tt.rangeHdr
			}
			resp, body := get(t, "GET", url, hdr)
			if resp.StatusCode != tt.wantStatus || !strings.EqualFold(string(body), string(tt.wantBody)) {
				t.Fatalf("status %d, %d bytes; want %d, %d bytes", resp.StatusCode, len(body), tt.wantStatus, len(tt.wantBody))
			}
			if got := resp.Header.Get("ETag"); got != `"`+sum+`"` {
				t.Errorf("ETag %q, want the quoted sha256", got)
			}
			if !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
				t.Errorf("Cache-Control %q, want immutable", resp.Header.Get("Cache-Control"))
			}
		})
	}
	if resp, _ := get(t, "HEAD", url, nil); resp.StatusCode != 200 || resp.Header.Get("Content-Type") == "application/json" {
		t.Errorf("HEAD box: %d %q; want 200 and a non-JSON type", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s, _ := catalog.Open(dir, ts.URL)
	if err := s.Revoke("lab", "deb12", "1.0.0"); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, "GET", url, nil); resp.StatusCode != 404 {
		t.Errorf("revoked box: status %d, want 404", resp.StatusCode)
	}
	_, body := get(t, "GET", ts.URL+"/lab/deb12", nil)
	if strings.Contains(string(body), `"1.0.0"`) {
		t.Errorf("revoked version still in the metadata: %s", body)
	}
}

// rawGet sends path exactly as given, bypassing any client-side cleaning.
func rawGet(t *testing.T, base, path string) int {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestNoPathLeavesTheCatalog(t *testing.T) {
	top := t.TempDir()
	dir := filepath.Join(top, "catalog")
	secret := filepath.Join(top, "secret.box")
	os.WriteFile(secret, []byte("secret"), 0o644)
	ts := startServer(t, dir, "", 0)
	publishBytes(t, dir, ts.URL, catalog.Entry{Org: "lab", Box: "deb12", Version: "1.0.0", Provider: "libvirt", Arch: "amd64"}, makeBox(t, "libvirt", "1"))
	publishBytes(t, dir, ts.URL, catalog.Entry{Org: "lab", Box: "deb12", Version: "1.1.0", Provider: "libvirt", Arch: "amd64"}, makeBox(t, "libvirt", "2"))
	// An escape planted inside the catalog: the 1.1.0 file replaced by a symlink to outside.
	planted := filepath.Join(dir, "lab/deb12/1.1.0/libvirt/amd64.box")
	os.Remove(planted)
	if err := os.Symlink(secret, planted); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		"/../secret.box",
		"/lab/../../secret.box",
		"/lab/deb12/1.0.0/libvirt/../../../../../secret.box",
		"/lab/deb12/1.0.0/..%2f..%2f..%2f..%2fsecret.box",
		"/%2e%2e/%2e%2e/secret.box",
		"/lab/deb12/1.0.0/libvirt/%2e%2e%2f%2e%2e%2fsecret.box",
		"/.boxbuild-catalog/lab/deb12.json",
		"/.boxbuild-catalog/lock",
		"/lab/deb12/1.1.0/libvirt/amd64.box",
		"/api/v2/vagrant/../../secret.box",
	} {
		t.Run(p, func(t *testing.T) {
			if code := rawGet(t, ts.URL, p); code != 404 && code != 400 {
				t.Errorf("GET %s = %d; want 404 or 400", p, code)
			}
		})
	}
	if code := rawGet(t, ts.URL, "/lab/deb12/1.0.0/libvirt/amd64.box"); code != 200 {
		t.Errorf("the legitimate box: %d", code)
	}
}

func TestAccessLogHasNoSecrets(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, dir, "s3cret-token", 0)
	get(t, "GET", ts.URL+"/lab/deb12?access_token=s3cret-query", map[string]string{"Authorization": "Bearer s3cret-token"})
	req, _ := http.NewRequest("PUT", ts.URL+"/lab/deb12/1.0.0/libvirt/amd64.box", strings.NewReader("x"))
	req.Header.Set("Authorization", "Bearer s3cret-wrong")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	log := ts.Log()
	if strings.Contains(log, "s3cret") {
		t.Errorf("access log contains a secret:\n%s", log)
	}
	if d := cmp.Diff(2, strings.Count(log, "\n")); d != "" || !strings.Contains(log, `"/lab/deb12" 404`) {
		t.Errorf("access log lines (-want +got): %s\n%s", d, log)
	}
}
