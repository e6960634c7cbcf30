package server

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/publish"
)

// makeBox returns a small real .box: a tar.gz with metadata.json for provider and a marker
// file whose text lets a test see which box Vagrant installed.
func makeBox(t testing.TB, provider, marker string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	files := []struct{ name, body string }{
		{"metadata.json", `{"provider":"` + provider + `","format":"qcow2","virtual_size":1}`},
		{"marker.txt", marker},
		{"padding.bin", noise(marker, 200<<10)}, // incompressible, so a download can be cut and resumed
	}
	for _, f := range files {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)), ModTime: time.Unix(1700000000, 0)})
		io.WriteString(tw, f.body)
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// noise is deterministic, incompressible filler derived from seed.
func noise(seed string, n int) string {
	out := make([]byte, 0, n+32)
	h := sha256.Sum256([]byte(seed))
	for len(out) < n {
		out = append(out, h[:]...)
		h = sha256.Sum256(h[:])
	}
	return string(out[:n])
}

func sumHex(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// testServer serves dir on a free 127.0.0.1 port until the test ends.
type testServer struct {
	URL  string
	Dir  string
	srv  *Server
	mu   sync.Mutex
	logb bytes.Buffer
}

func (ts *testServer) Write(p []byte) (int, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.logb.Write(p)
}

// Log returns the access log so far.
func (ts *testServer) Log() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.logb.String()
}

func startServer(t testing.TB, dir, token string, maxUpload int64) *testServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{URL: "http://" + l.Addr().String(), Dir: dir}
	ts.srv, err = New(Options{Dir: dir, BaseURL: ts.URL, Token: token, MaxUpload: maxUpload, Log: ts})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ts.srv.Serve(ctx, l, 5*time.Second) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		ts.srv.Close()
	})
	return ts
}

// publishBytes puts data into the catalog in dir the way `boxbuild publish --file` does.
func publishBytes(t testing.TB, dir, baseURL string, e catalog.Entry, data []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "in.box")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := catalog.Open(dir, baseURL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := (&publish.Local{Store: s}).Publish(context.Background(), publish.Box{Entry: e, File: f, Description: "test box"})
	if err != nil {
		t.Fatal(err)
	}
	return res.Sha256
}

func get(t testing.TB, method, url string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	// DisableCompression: like Vagrant's curl, send no Accept-Encoding unless asked to.
	resp, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}
