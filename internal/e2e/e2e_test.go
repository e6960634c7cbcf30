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

	"github.com/boxbuild/boxbuild/internal/render"
	"github.com/boxbuild/boxbuild/internal/testutil"
)

type planEntry struct {
	ID      string   `json:"id"`
	Version string   `json:"version"`
	Action  string   `json:"action"`
	Reasons []string `json:"reasons"`
}

// plan returns `boxbuild plan [box] --json` by build ID; "" plans every box.
func (c *chain) plan(box string) map[string]planEntry {
	c.t.Helper()
	var entries []planEntry
	args := []string{"plan", "--json"}
	if box != "" {
		args = append(args, box)
	}
	out, err := c.cmd(c.bin, args...).Output()
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
	// Registered first, so it runs last: after the server is stopped and the VM destroyed,
	// nothing this run started may be left.
	t.Cleanup(func() {
		if left := mine(processes("qemu-system-x86_64", "qemu-system-x86", "packer", "boxbuild"), c.ws); len(left) > 0 {
			t.Errorf("processes left after the run:\n%s", strings.Join(left, "\n"))
		}
	})
	const base, web, hello = "debian12/libvirt/amd64", "nginx/libvirt/amd64", "hello/libvirt/amd64"

	c.logf("build nginx and the debian12 base it derives from")
	c.run("build", "nginx")
	p := c.plan("nginx")
	if p[base].Action != "cached" || p[web].Action != "cached" || p[web].Version != "1.0.0" {
		t.Fatalf("after a build, plan = %+v; want both cached, nginx at 1.0.0", p)
	}
	if out := c.run("build", "nginx"); !strings.Contains(out, "built 0, cached 2") {
		t.Errorf("second build ran something:\n%s", out)
	}

	// A small box of a student's kind (one script on top of debian12) keeps the rebuilds
	// below quick; nginx takes minutes under TCG.
	c.write("boxes/hello.hcl", "box \"hello\" {\n  version = \"1.0\"\n  from = \"debian12\"\n  provision \"hello.sh\" {}\n}\n")
	c.write("provision/hello.sh", "#!/bin/sh\n# hello.sh: leaves a mark\nset -eu\necho hello >/etc/boxbuild-hello\n")

	c.logf("interrupt a build while its QEMU runs: exit 130, nothing left, nothing recorded")
	interrupt(t, c, "hello")
	if p := c.plan("hello"); p[hello].Action != "build" || p[hello].Version != "1.0.0" || p[base].Action != "cached" {
		t.Fatalf("after the interrupt, plan = %+v; want hello still to build as 1.0.0 on the cached base", p)
	}
	c.run("build", "hello")

	c.logf("change one script: only hello must rebuild, and say why")
	c.write("provision/hello.sh", "#!/bin/sh\n# hello.sh: leaves a mark\nset -eu\necho hello again >/etc/boxbuild-hello\n")
	p = c.plan("")
	for id, e := range p {
		switch {
		case id == hello && (e.Action != "build" || e.Version != "1.0.1" || !strings.Contains(strings.Join(e.Reasons, ";"), "hello.sh")):
			t.Errorf("after a script change, %s = %+v; want a 1.0.1 rebuild naming hello.sh", id, e)
		case (id == base || id == web) && e.Action != "cached":
			t.Errorf("after a script change elsewhere, %s = %+v; want cached", id, e)
		}
	}
	if out := c.run("build", "hello"); !strings.Contains(out, "built 1, cached 1") {
		t.Errorf("rebuild after the script change:\n%s", out)
	}

	c.logf("boot nginx and run its tests")
	if out := c.run("test", "nginx"); !strings.Contains(out, web+" 1.0.0 passed") {
		t.Fatalf("boxbuild test:\n%s", out)
	}

	c.logf("publish, serve, write the Vagrantfile, vagrant up")
	c.run("publish")
	c.serve(url)
	vm := filepath.Join(c.ws, "e2e") // vagrant-libvirt names the domain e2e_default after it
	c.run("vagrantfile", "nginx", "--provider", "libvirt", "-o", filepath.Join(vm, "Vagrantfile"))
	page := vagrantUp(t, c, vm)
	for _, want := range []string{"<h1>nginx</h1>", "version <strong>1.0.0</strong>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the landing page inside the guest lacks %q:\n%s", want, page)
		}
	}
	c.logf("done")
}

// interrupt starts a build, waits until its QEMU runs, sends SIGINT and checks the aftermath.
func interrupt(t *testing.T, c *chain, box string) {
	t.Helper()
	cmd := c.cmd(c.bin, "build", box)
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
	for _, p := range []string{".boxbuild/artifacts/" + box, ".boxbuild/out/" + box + "/1.0.0/libvirt-amd64.box", ".boxbuild/out/" + box + "/1.0.0/libvirt-amd64"} {
		if _, err := os.Stat(filepath.Join(c.ws, p)); err == nil {
			t.Errorf("the interrupted build left %s", p)
		}
	}
}

// vagrantUp boots the published box through the generated Vagrantfile with vagrant-libvirt,
// reads the landing page from inside the guest, checks that the build left its shell library
// behind nowhere, and destroys everything it created.
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
		removeBoxVolumes(ctx)
		doms, _ := virsh(ctx, "list", "--all", "--name")
		vols, _ := virsh(ctx, "vol-list", "default")
		for _, s := range []string{doms, vols} {
			if strings.Contains(s, "e2e_default") || strings.Contains(s, "VAGRANTSLASH-nginx") {
				t.Errorf("libvirt still holds what the test created:\n%s", s)
			}
		}
	})
	// vagrant-libvirt reuses a volume of the same box and version even when the box file
	// changed (an earlier run, the demo): remove it so the VM boots what this run built.
	removeBoxVolumes(context.Background())
	start := time.Now()
	if out, err := vagrant("up", "--provider=libvirt"); err != nil {
		t.Fatalf("vagrant up: %v\n%s", err, tail([]byte(out), 60))
	}
	c.logf("vagrant up took %s", time.Since(start).Round(time.Second))
	if out, err := vagrant("ssh", "-c", "test ! -e "+render.GuestLibrary); err != nil {
		t.Errorf("the box still holds boxbuild's shell library at %s: %v\n%s", render.GuestLibrary, err, out)
	}
	out, err := vagrant("ssh", "-c", "curl -s http://127.0.0.1/")
	if err != nil {
		t.Fatalf("vagrant ssh: %v\n%s", err, out)
	}
	return out
}

// removeBoxVolumes deletes the libvirt pool volumes vagrant-libvirt made from tbz/nginx.
func removeBoxVolumes(ctx context.Context) {
	vols, _ := virsh(ctx, "vol-list", "default")
	for _, line := range strings.Split(vols, "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.Contains(f[0], "VAGRANTSLASH-nginx") && strings.Contains(f[0], "vagrant_box_image") {
			virsh(ctx, "vol-delete", "--pool", "default", f[0])
		}
	}
}
