package server

// Acceptance tests: Debian's real vagrant (2.3.4) against this server on 127.0.0.1. Each test
// has its own VAGRANT_HOME and server; they run in parallel, each vagrant call takes 1-4 s.

import (
	"crypto/sha1"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/testutil"
)

type vagrantEnv struct {
	t    *testing.T
	bin  string
	home string
	env  []string
}

func newVagrant(t *testing.T, env ...string) *vagrantEnv {
	t.Helper()
	bin := testutil.RequireTool(t, "vagrant")
	home := t.TempDir()
	return &vagrantEnv{t: t, bin: bin, home: home, env: env}
}

// run runs vagrant and returns its combined output and error.
func (v *vagrantEnv) run(args ...string) (string, error) {
	v.t.Helper()
	cmd := exec.CommandContext(v.t.Context(), v.bin, args...)
	cmd.Env = append(os.Environ(), "VAGRANT_HOME="+v.home, "VAGRANT_CHECKPOINT_DISABLE=1", "VAGRANT_NO_COLOR=1")
	cmd.Env = append(cmd.Env, v.env...)
	cmd.Dir = v.home
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (v *vagrantEnv) mustRun(args ...string) string {
	v.t.Helper()
	out, err := v.run(args...)
	if err != nil {
		v.t.Fatalf("vagrant %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// marker reads which box Vagrant unpacked for name/version/provider.
func (v *vagrantEnv) marker(name, version, provider string) string {
	v.t.Helper()
	b, err := os.ReadFile(filepath.Join(v.home, "boxes", strings.ReplaceAll(name, "/", "-VAGRANTSLASH-"), version, provider, "marker.txt"))
	if err != nil {
		v.t.Fatalf("installed box %s %s %s: %v", name, version, provider, err)
	}
	return string(b)
}

func entry(version, arch string) catalog.Entry {
	return catalog.Entry{Org: "lab", Box: "deb12", Version: version, Provider: "libvirt", Arch: arch}
}

func TestVagrantConstraintsOutdatedUpdate(t *testing.T) {
	t.Parallel()
	v := newVagrant(t)
	dir := t.TempDir()
	ts := startServer(t, dir, "", 0)
	for _, ver := range []string{"1.0.0", "1.2.0", "1.2.5", "1.3.0", "2.0.0"} {
		publishBytes(t, dir, ts.URL, entry(ver, "amd64"), makeBox(t, "libvirt", ver))
	}
	url := ts.URL + "/lab/deb12"

	v.mustRun("box", "add", url, "--box-version", "~> 1.2", "--provider", "libvirt")
	v.mustRun("box", "add", url, "--box-version", ">= 1.0, < 1.2.5", "--provider", "libvirt")
	list := v.mustRun("box", "list")
	for _, want := range []string{"lab/deb12 (libvirt, 1.2.0)", "lab/deb12 (libvirt, 1.3.0)"} {
		if !strings.Contains(list, want) {
			t.Errorf("box list lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "2.0.0") {
		t.Errorf("a constraint let 2.0.0 in:\n%s", list)
	}
	if got := v.marker("lab/deb12", "1.3.0", "libvirt"); got != "1.3.0" {
		t.Errorf("~> 1.2 installed the box marked %q, want 1.3.0", got)
	}

	// A newer version appears while the server runs.
	publishBytes(t, dir, ts.URL, entry("2.1.0", "amd64"), makeBox(t, "libvirt", "2.1.0"))
	out := v.mustRun("box", "outdated", "--global") // exits 0 either way: read the text
	if !strings.Contains(out, "'lab/deb12' for 'libvirt' is outdated! Current: 1.3.0. Latest: 2.1.0") {
		t.Errorf("box outdated --global did not report 2.1.0:\n%s", out)
	}
	v.mustRun("box", "update", "--box", "lab/deb12", "--provider", "libvirt")
	if got := v.marker("lab/deb12", "2.1.0", "libvirt"); got != "2.1.0" {
		t.Errorf("box update installed %q, want 2.1.0", got)
	}
	out = v.mustRun("box", "outdated", "--global")
	if !strings.Contains(out, "'lab/deb12' for 'libvirt' (v2.1.0) is up to date") {
		t.Errorf("after update, outdated --global says:\n%s", out)
	}
}

func TestVagrantRejectsWrongChecksum(t *testing.T) {
	t.Parallel()
	v := newVagrant(t)
	dir := t.TempDir()
	ts := startServer(t, dir, "", 0)
	publishBytes(t, dir, ts.URL, entry("1.0.0", "amd64"), makeBox(t, "libvirt", "1.0.0"))
	// Corrupt the published file behind the catalog's back: a valid box, wrong content.
	f := filepath.Join(dir, "lab/deb12/1.0.0/libvirt/amd64.box")
	os.Chmod(f, 0o644)
	if err := os.WriteFile(f, makeBox(t, "libvirt", "evil"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := v.run("box", "add", ts.URL+"/lab/deb12", "--provider", "libvirt")
	if err == nil || !strings.Contains(out, "did not match the expected") {
		t.Fatalf("vagrant accepted a box with a wrong checksum (err %v):\n%s", err, out)
	}
	if list := v.mustRun("box", "list"); strings.Contains(list, "lab/deb12") {
		t.Errorf("the rejected box was installed:\n%s", list)
	}
}

// tempFile is where Vagrant 2.3.4 keeps a download of url between attempts.
func (v *vagrantEnv) tempFile(url string) string {
	h := sha1.Sum([]byte(url))
	return filepath.Join(v.home, "tmp", "box"+hex.EncodeToString(h[:]))
}

func TestVagrantResumesDownloads(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := startServer(t, dir, "", 0)
	box := makeBox(t, "libvirt", "1.0.0")
	publishBytes(t, dir, ts.URL, entry("1.0.0", "amd64"), box)
	boxURL := ts.URL + "/lab/deb12/1.0.0/libvirt/amd64.box"
	for _, tt := range []struct {
		name       string
		have       int // bytes already in the temp file
		wantStatus string
	}{
		{"partial temp file", len(box) / 2, `"/lab/deb12/1.0.0/libvirt/amd64.box" 206`},
		{"complete temp file (the 416 trap)", len(box), `"/lab/deb12/1.0.0/libvirt/amd64.box" 200`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := newVagrant(t)
			tmp := v.tempFile(boxURL)
			os.MkdirAll(filepath.Dir(tmp), 0o755)
			if err := os.WriteFile(tmp, box[:tt.have], 0o644); err != nil {
				t.Fatal(err)
			}
			out := v.mustRun("box", "add", ts.URL+"/lab/deb12", "--provider", "libvirt")
			if !strings.Contains(out, "resuming from prior download progress") {
				t.Errorf("vagrant did not resume:\n%s", out)
			}
			if got := v.marker("lab/deb12", "1.0.0", "libvirt"); got != "1.0.0" {
				t.Errorf("installed %q", got)
			}
			if log := ts.Log(); !strings.Contains(log, tt.wantStatus) || strings.Contains(log, " 416 ") {
				t.Errorf("server log lacks %s (or has a 416):\n%s", tt.wantStatus, log)
			}
		})
	}
}

func TestVagrantShorthandName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ts := startServer(t, dir, "", 0)
	publishBytes(t, dir, ts.URL, entry("1.0.0", "amd64"), makeBox(t, "libvirt", "1.0.0"))
	for _, tt := range []struct{ name, serverURL, wantPath string }{
		{"server root", ts.URL, `HEAD "/lab/deb12" 200`},
		{"api v2 prefix", ts.URL + "/api/v2/vagrant", `HEAD "/api/v2/vagrant/lab/deb12" 200`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := newVagrant(t, "VAGRANT_SERVER_URL="+tt.serverURL)
			v.mustRun("box", "add", "lab/deb12", "--provider", "libvirt")
			if got := v.marker("lab/deb12", "1.0.0", "libvirt"); got != "1.0.0" {
				t.Errorf("installed %q", got)
			}
			if !strings.Contains(ts.Log(), tt.wantPath) {
				t.Errorf("server log lacks %s:\n%s", tt.wantPath, ts.Log())
			}
		})
	}
}

func TestVagrantMultiArchitecture(t *testing.T) {
	t.Parallel()
	v := newVagrant(t)
	dir := t.TempDir()
	ts := startServer(t, dir, "", 0)
	// amd64 published first, arm64 second: the metadata must still list amd64 (the default)
	// last, because Vagrant 2.3.4 keeps the last entry of a provider name.
	publishBytes(t, dir, ts.URL, entry("1.0.0", "amd64"), makeBox(t, "libvirt", "amd64"))
	publishBytes(t, dir, ts.URL, entry("1.0.0", "arm64"), makeBox(t, "libvirt", "arm64"))
	v.mustRun("box", "add", ts.URL+"/lab/deb12", "--provider", "libvirt")
	if got := v.marker("lab/deb12", "1.0.0", "libvirt"); got != "amd64" {
		t.Errorf("vagrant 2.3.4 installed the %q box, want the default amd64", got)
	}
}
