package bootstrap

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// vm is a real QEMU guest under TCG with its SSH port forwarded to 127.0.0.1.
type vm struct {
	cmd     *exec.Cmd
	sshPort int
	serial  string
}

// bootVM starts qemu on a throw-away overlay of the image (-snapshot), so the cached image
// is never written to.
func bootVM(t *testing.T, image string) *vm {
	t.Helper()
	qemu := "qemu-system-x86_64"
	port := freePort(t)
	serial := filepath.Join(t.TempDir(), "serial.log")
	cmd := exec.Command(qemu, "-accel", "tcg", "-smp", "2", "-m", "1024",
		"-display", "none", "-monitor", "none", "-serial", "file:"+serial, "-snapshot",
		"-drive", "file="+image+",if=virtio,format=qcow2",
		"-netdev", fmt.Sprintf("user,id=n0,hostfwd=tcp:127.0.0.1:%d-:22", port),
		"-device", "virtio-net-pci,netdev=n0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start qemu: %v", err)
	}
	v := &vm{cmd: cmd, sshPort: port, serial: serial}
	t.Cleanup(v.stop)
	return v
}

// stop kills qemu's process group and waits for it.
func (v *vm) stop() {
	if v.cmd.ProcessState != nil {
		return
	}
	_ = syscall.Kill(-v.cmd.Process.Pid, syscall.SIGKILL)
	_ = v.cmd.Wait()
}

// waitBanner waits until the guest's sshd sends its banner through the forwarded port.
func (v *vm) waitBanner(t *testing.T, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if v.cmd.ProcessState != nil {
			t.Fatalf("qemu exited: %v", v.cmd.ProcessState)
		}
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", v.sshPort), 2*time.Second)
		if err == nil {
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			line, rerr := bufio.NewReader(c).ReadString('\n')
			c.Close()
			if rerr == nil && strings.HasPrefix(line, "SSH-2.0-") {
				return strings.TrimSpace(line)
			}
		}
		time.Sleep(time.Second)
	}
	b, _ := os.ReadFile(v.serial)
	t.Fatalf("no SSH banner after %s; serial console tail:\n%s", timeout, tail(string(b), 40))
	return ""
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// groupMembers lists the processes whose process group is pgid, read from /proc.
func groupMembers(t *testing.T, pgid int) []string {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// Fields after the ")" closing the command name: state ppid pgrp …
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 2 && f[2] == strconv.Itoa(pgid) {
			out = append(out, fmt.Sprintf("%d %s", pid, s[:strings.LastIndexByte(s, ')')+1]))
		}
	}
	return out
}
