package provisiontest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boxbuild/boxbuild/internal/render"
)

// chrootRun is one script run inside a chroot, the way Packer's shell provisioner runs it in a
// guest: as root, copied to /tmp, its settings in the environment (never on a command line).
type chrootRun struct {
	root    string   // the rootfs
	script  string   // host path of the script
	env     []string // KEY=VALUE settings for the script
	debs    string   // host folder mounted as /var/cache/apt/archives (kept between runs); "" for none
	isolate bool     // a network namespace of its own with only loopback: services bind there
	prelude string   // shell sourced inside the chroot before the script (starts daemons)
	lib     string   // host path of boxbuild's shell library, put where a build uploads it
}

// setupScript runs on the host inside fresh mount and PID namespaces (unshare). The mounts are
// private to that namespace, so they vanish with it, even when the test is killed, and never
// propagate to the host's /dev; the PID namespace ends every daemon a script left running.
const setupScript = `
root=$1 script=$2 debs=$3 isolate=$4 prelude=$5 lib=$6 guestlib=$7
mount -t proc proc "$root/proc"
mount -t sysfs -o ro sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
mkdir -m 1777 "$root/run/lock"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
if [ -n "$debs" ]; then
	mkdir -p "$debs/partial"
	mount --bind "$debs" "$root/var/cache/apt/archives"
fi
if [ "$isolate" = 1 ]; then
	ip link set lo up
fi
install -m 0755 "$script" "$root/tmp/script.sh"
if [ -n "$lib" ]; then
	install -m 0644 "$lib" "$root$guestlib"
fi
printf '%s\n' "$prelude" >"$root/tmp/prelude.sh"
exec chroot "$root" /bin/sh -euc '. /tmp/prelude.sh; exec /tmp/script.sh'
`

// baseEnv is what sudo -E leaves a provisioning script on a real guest, minus the noise.
var baseEnv = []string{
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"HOME=/root",
	"LANG=C.UTF-8",
}

// run executes r and returns its combined output and error.
func (r chrootRun) run(t *testing.T) (string, error) {
	t.Helper()
	args := []string{"--mount", "--pid", "--fork", "--kill-child", "--propagation", "private"}
	if r.isolate {
		args = append(args, "--net")
	}
	isolate := "0"
	if r.isolate {
		isolate = "1"
	}
	args = append(args, "/bin/sh", "-euc", setupScript, "setup", r.root, r.script, r.debs, isolate, r.prelude, r.lib, render.GuestLibrary)
	cmd := exec.CommandContext(t.Context(), "unshare", args...)
	cmd.Env = append(append([]string{}, baseEnv...), r.env...)
	if r.lib != "" {
		// As render sets it for every script of a build that uses the library.
		cmd.Env = append(cmd.Env, "BOXBUILD_LIB="+render.GuestLibrary)
	}
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// writeScript stores shell text as an executable file for a chrootRun.
func writeScript(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\nset -eu\n"+text), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkNoMounts fails the test and lazily unmounts when anything is still mounted below root.
// The namespaces make this impossible by design; the check proves it and protects the host.
func checkNoMounts(t *testing.T, root string) {
	t.Helper()
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		t.Errorf("read mounts: %v", err)
		return
	}
	defer f.Close()
	var left []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		if len(fields) > 4 && (fields[4] == root || strings.HasPrefix(fields[4], root+"/")) {
			left = append(left, fields[4])
		}
	}
	for i := len(left) - 1; i >= 0; i-- {
		exec.Command("umount", "-l", left[i]).Run()
	}
	if len(left) > 0 {
		t.Errorf("mounts left below the chroot (now lazily unmounted): %v", left)
	}
}
