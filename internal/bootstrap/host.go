package bootstrap

import (
	"bufio"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

//go:embed customize.sh
var customizeScript string

// vagrantPubKey is Vagrant's well-known insecure public key (the one Debian's vagrant
// package ships as keys/vagrant.pub). Vagrant logs in with it on first boot and replaces it
// with a key of its own.
//
//go:embed vagrant.pub
var vagrantPubKey string

// mbrPath is syslinux's BIOS boot code, from Debian's syslinux-common package.
const mbrPath = "/usr/lib/syslinux/mbr/mbr.bin"

// hostTools are the commands a build runs, with the Debian package that ships each.
var hostTools = [][2]string{
	{"mmdebstrap", "mmdebstrap"},
	{"mkfs.ext4", "e2fsprogs"},
	{"sfdisk", "fdisk"},
	{"extlinux", "extlinux"},
	{"qemu-img", "qemu-utils"},
	{"mount", "mount"},
	{"umount", "mount"},
	{"chroot", "coreutils"},
}

// checkHost says clearly why this machine cannot build an image, before anything starts.
func checkHost() error { return checkHostAs(os.Geteuid(), exec.LookPath) }

func checkHostAs(euid int, lookPath func(string) (string, error)) error {
	if euid != 0 {
		return errors.New(`bootstrap: building a "bootstrap" base image needs root ` +
			`(mmdebstrap chroots and the disk is loop-mounted); run as root or use a source "iso" or "image"`)
	}
	var missing []string
	for _, t := range hostTools {
		if _, err := lookPath(t[0]); err != nil {
			missing = append(missing, fmt.Sprintf("%s (package %s)", t[0], t[1]))
		}
	}
	if _, err := os.Stat(mbrPath); err != nil {
		missing = append(missing, mbrPath+" (package syslinux-common)")
	}
	if len(missing) > 0 {
		return fmt.Errorf(`bootstrap: source "bootstrap" needs a Debian host with mmdebstrap; missing: %s`,
			strings.Join(missing, ", "))
	}
	return nil
}

// run runs one command of the recipe in a process group of its own, its output going to
// log. On cancellation the group gets SIGTERM (mmdebstrap then unmounts what it mounted in
// the chroot) and, if still there after a grace period, SIGKILL; whatever is left of the
// group when the command ends is killed, so no apt or dpkg outlives a cancelled build.
func run(ctx context.Context, log io.Writer, name string, args ...string) error {
	fmt.Fprintf(log, "+ %s %s\n", name, strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	const grace = 30 * time.Second
	cmd.Cancel = func() error {
		pgid := cmd.Process.Pid
		time.AfterFunc(grace, func() { _ = syscall.Kill(-pgid, syscall.SIGKILL) })
		return syscall.Kill(-pgid, syscall.SIGTERM)
	}
	cmd.WaitDelay = grace + 5*time.Second
	err := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%s stopped (%v): %w", name, err, context.Cause(ctx))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// unmountUnder unmounts everything mounted at or below dir, deepest first. A chroot build
// that was killed can leave /proc, /sys or a bind mount of /dev inside the rootfs; removing
// the folder without this would delete through those mounts into the host.
func unmountUnder(dir string) error {
	mounts, err := mountsUnder(dir)
	if err != nil {
		return err
	}
	slices.SortFunc(mounts, func(a, b string) int { return len(b) - len(a) })
	for _, m := range mounts {
		// Lazy unmount: a busy mount is detached now and freed when its last user exits.
		if err := exec.Command("umount", "-l", m).Run(); err != nil {
			return fmt.Errorf("umount %s: %w", m, err)
		}
	}
	if left, err := mountsUnder(dir); err != nil || len(left) > 0 {
		return fmt.Errorf("still mounted under %s: %v %v", dir, left, err)
	}
	return nil
}

// mountsUnder lists the mount points at or below dir from /proc/self/mounts.
func mountsUnder(dir string) ([]string, error) {
	f, err := os.Open("/proc/self/mounts")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		// /proc/self/mounts escapes spaces and tabs as octal; our temp paths have neither.
		mp := fields[1]
		if mp == dir || strings.HasPrefix(mp, dir+string(filepath.Separator)) {
			out = append(out, mp)
		}
	}
	return out, sc.Err()
}

// removeTemp deletes a build's temporary folder, but only once nothing is mounted in it.
func removeTemp(dir string, log io.Writer) {
	if err := unmountUnder(dir); err != nil {
		fmt.Fprintf(log, "bootstrap: NOT removing %s: %v\n", dir, err)
		return
	}
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintf(log, "bootstrap: remove %s: %v\n", dir, err)
	}
}
