package fetch

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// server serves files over HTTP on 127.0.0.1 with Range support and records each request.
type server struct {
	*httptest.Server
	files map[string][]byte
	mu    sync.Mutex
	log   []string // "METHOD /path range"
	// dropFirstGet cuts the first full GET of a file off after half its body.
	dropFirstGet bool
	dropped      bool
}

func newServer(t *testing.T, files map[string][]byte) *server {
	s := &server{files: files}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.log = append(s.log, strings.TrimSpace(r.Method+" "+r.URL.Path+" "+r.Header.Get("Range")))
	drop := s.dropFirstGet && !s.dropped && r.Method == http.MethodGet && r.Header.Get("Range") == ""
	if drop {
		s.dropped = true
	}
	s.mu.Unlock()
	data, ok := s.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if drop {
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		w.WriteHeader(http.StatusOK)
		w.Write(data[:len(data)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // closes the connection mid-body
	}
	http.ServeContent(w, r, r.URL.Path, time.Time{}, bytes.NewReader(data))
}

func (s *server) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

func payload(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func sha256Of(b []byte) string { return fmt.Sprintf("sha256:%x", sha256.Sum256(b)) }

func TestFetchGoodFileThenCacheHit(t *testing.T) {
	data := payload(300_000)
	s := newServer(t, map[string][]byte{"/debian.iso": data})
	var last Progress
	f := &Fetcher{CacheDir: t.TempDir(), OnProgress: func(p Progress) { last = p }}
	r, err := f.Fetch(t.Context(), s.URL+"/debian.iso", sha256Of(data))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(r.Path)
	if !bytes.Equal(got, data) || r.CacheHit || r.Checksum != sha256Of(data) || filepath.Base(r.Path) != "debian.iso" {
		t.Errorf("first fetch: %+v", r)
	}
	if last.Done != int64(len(data)) || last.Total != int64(len(data)) {
		t.Errorf("last progress %+v, want %d of %d", last, len(data), len(data))
	}
	s.Close() // no network from here on
	again, err := f.Fetch(t.Context(), s.URL+"/debian.iso", sha256Of(data))
	if err != nil {
		t.Fatalf("cache hit needed the network: %v", err)
	}
	if !again.CacheHit || again.Path != r.Path {
		t.Errorf("second fetch %+v, want a cache hit of %s", again, r.Path)
	}
}

func TestFetchSHA512(t *testing.T) {
	data := payload(1000)
	s := newServer(t, map[string][]byte{"/img.qcow2": data})
	sum := fmt.Sprintf("sha512:%x", sha512.Sum512(data))
	r, err := (&Fetcher{CacheDir: t.TempDir()}).Fetch(t.Context(), s.URL+"/img.qcow2", sum)
	if err != nil || r.Checksum != sum {
		t.Fatalf("Fetch() = %+v, %v", r, err)
	}
}

func TestFetchWrongChecksumDeletes(t *testing.T) {
	data := payload(5000)
	s := newServer(t, map[string][]byte{"/debian.iso": data})
	cache := t.TempDir()
	wrong := "sha256:" + strings.Repeat("ab", 32)
	_, err := (&Fetcher{CacheDir: cache}).Fetch(t.Context(), s.URL+"/debian.iso", wrong)
	want := fmt.Sprintf("checksum mismatch: expected %s, got %s; the download was deleted", wrong, sha256Of(data))
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Fetch() error = %v, want it to contain %q", err, want)
	}
	if left := filesUnder(t, cache, "debian.iso"); len(left) > 0 {
		t.Errorf("the bad download was kept: %v", left)
	}
}

func TestFetchChecksumRequired(t *testing.T) {
	s := newServer(t, map[string][]byte{"/a.iso": payload(10)})
	tests := []struct{ name, checksum, want string }{
		{"missing", "", "a checksum is required"},
		{"none", "none", "a checksum is required"},
		{"weak type", "md5:d41d8cd98f00b204e9800998ecf8427e", `checksum type "md5" is not accepted`},
		{"no type", strings.Repeat("ab", 32), "want TYPE:VALUE"},
		{"not hex", "sha256:" + strings.Repeat("zz", 32), "not a sha256 digest in hex"},
		{"short", "sha256:abcd", "not a sha256 digest in hex"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := (&Fetcher{CacheDir: t.TempDir()}).Fetch(t.Context(), s.URL+"/a.iso", tt.checksum)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Fetch() error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if reqs := s.requests(); len(reqs) > 0 {
		t.Errorf("requests were made without a valid checksum: %v", reqs)
	}
}

func TestFetchSumsFile(t *testing.T) {
	data := payload(40_000)
	sums := fmt.Sprintf("%x  other.iso\n%x  debian.iso\n", sha256.Sum256([]byte("x")), sha256.Sum256(data))
	s := newServer(t, map[string][]byte{"/debian.iso": data, "/SHA256SUMS": []byte(sums)})
	f := &Fetcher{CacheDir: t.TempDir()}
	r, err := f.Fetch(t.Context(), s.URL+"/debian.iso", "file:"+s.URL+"/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	if r.Checksum != sha256Of(data) {
		t.Errorf("resolved checksum %s, want %s", r.Checksum, sha256Of(data))
	}
	s.Close()
	if again, err := f.Fetch(t.Context(), s.URL+"/debian.iso", "file:"+s.URL+"/SHA256SUMS"); err != nil || !again.CacheHit {
		t.Errorf("second fetch = %+v, %v; want a cache hit without fetching the SUMS file", again, err)
	}
}

func TestFetchSumsFileMismatch(t *testing.T) {
	data := payload(4000)
	sums := fmt.Sprintf("%x  debian.iso\n", sha256.Sum256([]byte("an older release")))
	s := newServer(t, map[string][]byte{"/debian.iso": data, "/SHA256SUMS": []byte(sums)})
	_, err := (&Fetcher{CacheDir: t.TempDir()}).Fetch(t.Context(), s.URL+"/debian.iso", "file:"+s.URL+"/SHA256SUMS")
	if err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Errorf("Fetch() error = %v, want a checksum mismatch", err)
	}
}

func TestFetchResumesAfterDrop(t *testing.T) {
	data := payload(200_000)
	s := newServer(t, map[string][]byte{"/debian.iso": data})
	s.dropFirstGet = true
	f := &Fetcher{CacheDir: t.TempDir()}
	if _, err := f.Fetch(t.Context(), s.URL+"/debian.iso", sha256Of(data)); err == nil {
		t.Fatal("a download cut off half way succeeded")
	}
	r, err := f.Fetch(t.Context(), s.URL+"/debian.iso", sha256Of(data))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(r.Path); !bytes.Equal(got, data) {
		t.Fatal("resumed file differs from the original")
	}
	resumed := fmt.Sprintf("GET /debian.iso bytes=%d-", len(data)/2)
	if reqs := s.requests(); !contains(reqs, resumed) {
		t.Errorf("requests %v lack the resuming %q", reqs, resumed)
	}
}

func TestFetchCorruptCacheIsMiss(t *testing.T) {
	data := payload(3000)
	s := newServer(t, map[string][]byte{"/debian.iso": data})
	f := &Fetcher{CacheDir: t.TempDir()}
	r, err := f.Fetch(t.Context(), s.URL+"/debian.iso", sha256Of(data))
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(data)
	bad[10] ^= 0xff
	if err := os.WriteFile(r.Path, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := f.Fetch(t.Context(), s.URL+"/debian.iso", sha256Of(data))
	if err != nil || again.CacheHit {
		t.Fatalf("after corruption: %+v, %v; want a fresh download", again, err)
	}
	if got, _ := os.ReadFile(again.Path); !bytes.Equal(got, data) {
		t.Error("the corrupted file was not replaced")
	}
}

func TestFetchLocalFile(t *testing.T) {
	data := payload(2000)
	src := filepath.Join(t.TempDir(), "disk.qcow2")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := (&Fetcher{CacheDir: t.TempDir()}).Fetch(t.Context(), "file://"+src, sha256Of(data))
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(r.Path); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("cached %s is not a regular file (a copy): %v %v", r.Path, fi, err)
	}
}

func filesUnder(t *testing.T, dir, prefix string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), prefix) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
