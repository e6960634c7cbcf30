package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// chain holds what one end-to-end run shares: the binary, the workspace and the environment.
type chain struct {
	t     *testing.T
	bin   string // the boxbuild binary built for this run
	ws    string // the workspace, written by `boxbuild init`
	env   []string
	start time.Time
}

// newChain builds boxbuild and writes a fresh workspace with its catalog on a free port.
func newChain(t *testing.T) (*chain, string) {
	t.Helper()
	dir := t.TempDir()
	c := &chain{t: t, bin: filepath.Join(dir, "boxbuild"), ws: filepath.Join(dir, "ws"), start: time.Now()}
	build := exec.Command("go", "build", "-o", c.bin, "./cmd/boxbuild")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	c.env = append(os.Environ(), "NO_COLOR=1", "VAGRANT_CHECKPOINT_DISABLE=1", "VAGRANT_HOME="+filepath.Join(dir, "vagrant.d"))
	c.run("init", c.ws)
	port := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	hcl := filepath.Join(c.ws, "boxbuild.hcl")
	data, err := os.ReadFile(hcl)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(hcl, bytes.Replace(data, []byte("http://127.0.0.1:8099"), []byte(url), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	return c, url
}

// write puts a file into the workspace.
func (c *chain) write(name, content string) {
	c.t.Helper()
	p := filepath.Join(c.ws, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		c.t.Fatal(err)
	}
}

func (c *chain) logf(format string, a ...any) {
	c.t.Helper()
	c.t.Logf("[%6s] %s", time.Since(c.start).Round(time.Second), fmt.Sprintf(format, a...))
}

// run runs boxbuild in the workspace and fails the test unless it succeeds.
func (c *chain) run(args ...string) string {
	c.t.Helper()
	out, err := c.cmd(c.bin, args...).CombinedOutput()
	if err != nil {
		c.t.Fatalf("boxbuild %s: %v\n%s", strings.Join(args, " "), err, tail(out, 60))
	}
	return string(out)
}

func (c *chain) cmd(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	if name == c.bin && len(args) > 0 && args[0] != "init" {
		cmd.Args = append([]string{name, "-C", c.ws}, args...)
	}
	cmd.Env = c.env
	cmd.Dir = c.ws
	if _, err := os.Stat(c.ws); err != nil {
		cmd.Dir = ""
	}
	return cmd
}

// tail keeps the last n lines of out: the part of a long log that says what went wrong.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// serve starts `boxbuild serve` on the catalog and stops it when the test ends.
func (c *chain) serve(url string) {
	c.t.Helper()
	cmd := c.cmd(c.bin, "serve", "--dir", filepath.Join(c.ws, "catalog"), "--addr", strings.TrimPrefix(url, "http://"))
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		if c.t.Failed() {
			c.t.Logf("boxbuild serve log:\n%s", tail(log.Bytes(), 40))
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://")); err == nil {
			conn.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.t.Fatalf("boxbuild serve did not listen on %s:\n%s", url, log.String())
}

// processes lists the running commands whose name is one of names, with their command line
// and working folder (packer runs in the build folder, inside the workspace).
func processes(names ...string) []string {
	var out []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil {
			continue
		}
		for _, n := range names {
			if strings.TrimSpace(string(comm)) == n {
				cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
				cwd, _ := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
				out = append(out, fmt.Sprintf("%s: %s (in %s)", e.Name(), strings.ReplaceAll(string(cmdline), "\x00", " "), cwd))
			}
		}
	}
	return out
}

// mine keeps the process lines that mention this run's workspace, so tests of other packages
// running packer or QEMU at the same time do not count.
func mine(lines []string, ws string) []string {
	var out []string
	for _, l := range lines {
		if strings.Contains(l, ws) {
			out = append(out, l)
		}
	}
	return out
}

func virsh(ctx context.Context, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, "virsh", append([]string{"-c", "qemu:///system"}, args...)...).CombinedOutput()
	return string(out), err
}
