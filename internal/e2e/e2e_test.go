package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/boxbuild/boxbuild/internal/testutil"
)

type planEntry struct {
	ID      string   `json:"id"`
	Version string   `json:"version"`
	Action  string   `json:"action"`
	Reasons []string `json:"reasons"`
}

func (c *chain) plan(box string) map[string]planEntry {
	c.t.Helper()
	var entries []planEntry
	out, err := c.cmd(c.bin, "plan", box, "--json").Output()
	if err != nil {
		c.t.Fatalf("boxbuild plan: %v", err)
	}
	if err := json.Unmarshal(out, &entries); err != nil {
		c.t.Fatalf("plan --json: %v\n%s", err, out)
	}
	m := map[string]planEntry{}
	for _, e := range entries {
		m[e.ID] = e
	}
	return m
}

// TestEndToEnd runs the chain a maintainer and a student go through, on real tools only.
func TestEndToEnd(t *testing.T) {
	testutil.Slow(t)
	testutil.RequireRoot(t)
	for _, tool := range []string{"packer", "qemu-system-x86_64", "qemu-img", "mmdebstrap", "vagrant", "virsh", "libvirtd"} {
		testutil.RequireTool(t, tool)
	}
	c, url := newChain(t)
	const base, web = "debian12/libvirt/amd64", "nginx/libvirt/amd64"

	c.logf("build nginx and the debian12 base it derives from")
	c.run("build", "nginx")
	p := c.plan("nginx")
	if p[base].Action != "cached" || p[web].Action != "cached" || p[web].Version != "1.0.0" {
		t.Fatalf("after a build, plan = %+v; want both cached, nginx at 1.0.0", p)
	}
	if out := c.run("build", "nginx"); !strings.Contains(out, "built 0, cached 2") {
		t.Errorf("second build ran something:\n%s", out)
	}

	c.logf("change one script: only nginx must rebuild, and say why")
	script := filepath.Join(c.ws, "provision/web/landing-page.sh")
	f, err := os.OpenFile(script, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("# a maintainer's change\n")
	f.Close()
	p = c.plan("nginx")
	if p[base].Action != "cached" || p[web].Action != "build" || p[web].Version != "1.0.1" ||
		!strings.Contains(strings.Join(p[web].Reasons, ";"), "landing-page.sh") {
		t.Fatalf("after a script change, plan = %+v; want debian12 cached, nginx 1.0.1 rebuilt for landing-page.sh", p)
	}

	c.logf("interrupt that build while QEMU runs: exit 130, nothing left, nothing recorded")
	interrupt(t, c)
	if p2 := c.plan("nginx"); p2[web].Action != "build" || p2[web].Version != "1.0.1" {
		t.Fatalf("after the interrupt, plan = %+v; want nginx still to build as 1.0.1", p2)
	}

	c.logf("rebuild, then boot the box and run its tests")
	c.run("build", "nginx")
	if out := c.run("test", "nginx"); !strings.Contains(out, web+" 1.0.1 passed") {
		t.Fatalf("boxbuild test:\n%s", out)
	}

	c.logf("publish, serve, write the Vagrantfile, vagrant up")
	c.run("publish")
	c.serve(url)
	vm := filepath.Join(c.ws, "vm")
	c.run("vagrantfile", "nginx", "--provider", "libvirt", "-o", filepath.Join(vm, "Vagrantfile"))
	page := vagrantUp(t, c, vm)
	for _, want := range []string{"<h1>nginx</h1>", "version <strong>1.0.1</strong>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the landing page inside the guest lacks %q:\n%s", want, page)
		}
	}
}

// interrupt starts a build, waits until its QEMU runs, sends SIGINT and checks the aftermath.
func interrupt(t *testing.T, c *chain) {
	t.Helper()
	cmd := c.cmd(c.bin, "build", "nginx")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for len(mine(processes("qemu-system-x86_64", "qemu-system-x86"), c.ws)) == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no QEMU started within 5 minutes:\n%s", out.String())
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, q := range mine(processes("qemu-system-x86_64", "qemu-system-x86"), c.ws) {
		if !strings.Contains(q, "hostfwd=tcp:127.0.0.1:") || strings.Contains(q, "hostfwd=tcp::") {
			t.Errorf("the build VM's SSH forward is not bound to 127.0.0.1:\n%s", q)
		}
	}
	time.Sleep(3 * time.Second)
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("interrupted build: %v, want exit code 130\n%s", err, tail([]byte(out.String()), 30))
	}
	if left := mine(processes("qemu-system-x86_64", "qemu-system-x86", "packer"), c.ws); len(left) > 0 {
		t.Errorf("processes left after the interrupt:\n%s", strings.Join(left, "\n"))
	}
	if left := processes("packer"); len(left) > 0 {
		t.Errorf("packer processes left after the interrupt:\n%s", strings.Join(left, "\n"))
	}
	for _, p := range []string{".boxbuild/artifacts/nginx/1.0.1", ".boxbuild/out/nginx/1.0.1/libvirt-amd64.box", ".boxbuild/out/nginx/1.0.1/libvirt-amd64"} {
		if _, err := os.Stat(filepath.Join(c.ws, p)); err == nil {
			t.Errorf("the interrupted build left %s", p)
		}
	}
}

// vagrantUp boots the published box through the generated Vagrantfile with vagrant-libvirt,
// reads the landing page from inside the guest, and destroys everything it created.
func vagrantUp(t *testing.T, c *chain, vm string) string {
	t.Helper()
	if out, err := exec.Command("bash", "../../scripts/libvirt-up.sh").CombinedOutput(); err != nil {
		t.Fatalf("libvirt-up.sh: %v\n%s", err, out)
	}
	vagrant := func(args ...string) (string, error) {
		cmd := c.cmd("vagrant", args...)
		cmd.Dir = vm
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		if out, err := vagrant("destroy", "-f"); err != nil {
			t.Errorf("vagrant destroy: %v\n%s", err, out)
		}
		vols, _ := virsh(ctx, "vol-list", "default")
		for _, line := range strings.Split(vols, "\n") {
			if f := strings.Fields(line); len(f) > 0 && strings.Contains(f[0], "nginx") && strings.Contains(f[0], "vagrant_box_image") {
				virsh(ctx, "vol-delete", "--pool", "default", f[0])
			}
		}
		doms, _ := virsh(ctx, "list", "--all", "--name")
		vols, _ = virsh(ctx, "vol-list", "default")
		for _, s := range []string{doms, vols} {
			if strings.Contains(s, "vm_default") || strings.Contains(s, "VAGRANTSLASH-nginx") {
				t.Errorf("libvirt still holds what the test created:\n%s", s)
			}
		}
	})
	start := time.Now()
	if out, err := vagrant("up", "--provider=libvirt"); err != nil {
		t.Fatalf("vagrant up: %v\n%s", err, tail([]byte(out), 60))
	}
	c.logf("vagrant up took %s", time.Since(start).Round(time.Second))
	out, err := vagrant("ssh", "-c", "curl -s http://127.0.0.1/")
	if err != nil {
		t.Fatalf("vagrant ssh: %v\n%s", err, out)
	}
	return out
}
