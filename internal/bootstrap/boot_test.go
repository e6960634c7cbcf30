package bootstrap

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/boxbuild/boxbuild/internal/testutil"
)

var (
	imageOnce sync.Once
	image     Image
	imageErr  error
)

// testImage builds (or reuses) the default bootstrap image once per test binary. Set
// BOXBUILD_TEST_BOOTSTRAP_CACHE to a folder to keep it between runs while working on the
// tests that use it; otherwise it lives in a temp folder and is built afresh.
func testImage(t *testing.T) Image {
	t.Helper()
	testutil.Slow(t)
	testutil.RequireRoot(t)
	for _, tool := range []string{"mmdebstrap", "extlinux", "qemu-img", "qemu-system-x86_64"} {
		testutil.RequireTool(t, tool)
	}
	imageOnce.Do(func() {
		cache := os.Getenv("BOXBUILD_TEST_BOOTSTRAP_CACHE")
		if cache == "" {
			var err error
			if cache, err = os.MkdirTemp("", "boxbuild-bootstrap-test-"); err != nil {
				imageErr = err
				return
			}
			// The image is shared by the tests of this binary; TestMain removes it.
			imageCacheToRemove = cache
		}
		var log bytes.Buffer
		start := time.Now()
		image, imageErr = Ensure(t.Context(), Spec{}, cache, &log)
		t.Logf("Ensure took %s", time.Since(start).Round(time.Second))
		if imageErr != nil {
			imageErr = fmt.Errorf("%w\nlog tail:\n%s", imageErr, tail(log.String(), 40))
		}
	})
	if imageErr != nil {
		t.Fatal(imageErr)
	}
	return image
}

var imageCacheToRemove string

func TestMain(m *testing.M) {
	code := m.Run()
	if imageCacheToRemove != "" {
		os.RemoveAll(imageCacheToRemove)
	}
	os.Exit(code)
}

func TestEnsureIsCached(t *testing.T) {
	im := testImage(t)
	if im.SizeBytes < 100<<20 || im.DiskSize() != "2048M" {
		t.Errorf("image %+v: want a qcow2 of at least 100 MB and a 2048M disk", im)
	}
	fi, err := os.Stat(im.Path)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Ensure(t.Context(), Spec{}, strings.TrimSuffix(im.Path, "/"+im.Key+"/"+diskName), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if again != im {
		t.Errorf("second Ensure = %+v, want the cached %+v", again, im)
	}
	if fi2, _ := os.Stat(im.Path); !fi2.ModTime().Equal(fi.ModTime()) {
		t.Errorf("second Ensure rewrote the image")
	}
}

func TestImageBootsToSSH(t *testing.T) {
	im := testImage(t)
	start := time.Now()
	v := bootVM(t, im.Path)
	banner := v.waitBanner(t, 4*time.Minute)
	t.Logf("SSH banner %q after %s", banner, time.Since(start).Round(time.Second))

	auths := map[string]ssh.AuthMethod{"password": ssh.Password("vagrant")}
	if signer, ok := insecureKey(t); ok {
		auths["insecure key"] = ssh.PublicKeys(signer)
	}
	for name, auth := range auths {
		t.Run(name, func(t *testing.T) {
			out := sshRun(t, v.sshPort, auth, "sudo -n id -u && systemctl is-enabled systemd-networkd && cat /etc/ssh/sshd_config.d/boxbuild.conf")
			if want := "0\nenabled\nUseDNS no\n"; out != want {
				t.Errorf("guest said %q, want %q", out, want)
			}
		})
	}

	pgid := v.cmd.Process.Pid
	v.stop()
	if left := groupMembers(t, pgid); len(left) > 0 {
		t.Errorf("processes left in qemu's group: %v", left)
	}
}

// insecureKey reads Vagrant's insecure private key from Debian's vagrant package, wherever
// the package put it.
func insecureKey(t *testing.T) (ssh.Signer, bool) {
	t.Helper()
	out, err := exec.Command("dpkg", "-L", "vagrant").Output()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("dpkg -L vagrant: %v (CI installs vagrant)", err)
		}
		t.Logf("vagrant package not installed; logging in by password only")
		return nil, false
	}
	for _, p := range strings.Fields(string(out)) {
		if strings.HasSuffix(p, "/keys/vagrant") {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			s, err := ssh.ParsePrivateKey(b)
			if err != nil {
				t.Fatalf("parse %s: %v", p, err)
			}
			return s, true
		}
	}
	t.Fatalf("the vagrant package has no keys/vagrant")
	return nil, false
}

// sshRun logs in as vagrant and runs one command, returning its stdout.
func sshRun(t *testing.T, port int, auth ssh.AuthMethod, command string) string {
	t.Helper()
	cfg := &ssh.ClientConfig{
		User: "vagrant",
		Auth: []ssh.AuthMethod{auth},
		// A throw-away guest whose host key was generated on this boot: nothing to pin.
		HostKeyCallback: ssh.InsecureIgnoreHostKey(),
		Timeout:         30 * time.Second,
	}
	c, err := ssh.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port), cfg)
	if err != nil {
		t.Fatalf("ssh login: %v", err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var stdout, stderr bytes.Buffer
	s.Stdout, s.Stderr = &stdout, &stderr
	if err := s.Run(command); err != nil {
		t.Fatalf("ssh %q: %v\nstderr: %s", command, err, stderr.String())
	}
	return stdout.String()
}
