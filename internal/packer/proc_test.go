package packer

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// statFields returns the fields of /proc/PID/stat after the command name: state ppid pgrp …
func statFields(pid string) ([]string, string, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return nil, "", false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil, "", false
	}
	return strings.Fields(s[i+1:]), s[:i+1], true
}

func pgidOf(t *testing.T, pid int) int {
	t.Helper()
	f, _, ok := statFields(strconv.Itoa(pid))
	if !ok || len(f) < 3 {
		t.Fatalf("process %d is not running", pid)
	}
	n, _ := strconv.Atoi(f[2])
	return n
}

// groupMembers lists the live processes of process group pgid. Zombies are dead: they
// only wait for init to reap them once their parent is gone.
func groupMembers(t *testing.T, pgid int) []string {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		f, name, ok := statFields(e.Name())
		if ok && len(f) > 2 && f[2] == strconv.Itoa(pgid) && f[0] != "Z" {
			out = append(out, fmt.Sprintf("%s %s state %s", e.Name(), name, f[0]))
		}
	}
	return out
}

// alive reports whether pid runs and is not a zombie.
func alive(pid int) bool {
	f, _, ok := statFields(strconv.Itoa(pid))
	return ok && len(f) > 0 && f[0] != "Z"
}
