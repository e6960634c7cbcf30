package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	for range 100 {
		if resp, err := http.Get(url + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never became healthy", url)
}

func TestServeUploadsAndStopsGracefully(t *testing.T) {
	tmp := t.TempDir()
	cat := filepath.Join(tmp, "catalog")
	box := filepath.Join(tmp, "x.box")
	sum := randomFile(t, box, 10000)
	mustRun(t, tmp, "publish", "--file", box, "--name", "lab/deb12", "--version", "1.0.0", "--provider", "libvirt", "--dir", cat, "--base-url", "http://boxes.example")

	addr := freeAddr(t)
	t.Setenv("BB_SERVE_TOKEN", "serve-secret")
	var stderr syncBuffer
	g := &Globals{Stdout: io.Discard, Stderr: &stderr}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, g, []string{"-C", tmp, "serve", "--dir", cat, "--addr", addr, "--token-env", "BB_SERVE_TOKEN"})
	}()
	url := "http://" + addr
	waitHealthy(t, url)

	resp, err := http.Get(url + "/lab/deb12")
	if err != nil {
		t.Fatal(err)
	}
	meta, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(meta), url+"/lab/deb12/1.0.0/libvirt/amd64.box") {
		t.Errorf("served metadata does not use the server's URL:\n%s", meta)
	}

	body, _ := os.ReadFile(box)
	req, _ := http.NewRequest("PUT", url+"/lab/deb12/1.1.0/libvirt/amd64.box", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer serve-secret")
	req.Header.Set("X-Checksum-Sha256", sum)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Errorf("upload: %d, want 201", resp.StatusCode)
	}

	cancel() // what SIGINT/SIGTERM do in Main
	select {
	case code := <-done:
		if code != ExitOK {
			t.Errorf("serve exited %d after a graceful stop, want 0\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	log := stderr.String()
	if !strings.Contains(log, `PUT "/lab/deb12/1.1.0/libvirt/amd64.box" 201`) || strings.Contains(log, "serve-secret") {
		t.Errorf("access log on stderr:\n%s", log)
	}
	// The stored base URL was not replaced by the server's.
	static, _ := os.ReadFile(filepath.Join(cat, ".boxbuild-catalog", "settings.json"))
	if !strings.Contains(string(static), "http://boxes.example") {
		t.Errorf("serve changed the catalog's base URL: %s", static)
	}
}

func TestServeNeedsItsTokenVariable(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("BB_EMPTY_TOKEN", "")
	code, _, errs := run(t, tmp, "serve", "--dir", tmp, "--addr", freeAddr(t), "--token-env", "BB_EMPTY_TOKEN")
	if code != ExitFailure || !strings.Contains(errs, "BB_EMPTY_TOKEN") {
		t.Errorf("exit %d, %q; want a failure naming the variable", code, errs)
	}
}
