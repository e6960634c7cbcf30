package packer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/testutil"
)

// realPacker returns the installed packer; CI must have it.
func realPacker(t *testing.T) *Packer {
	t.Helper()
	return &Packer{Path: testutil.RequireTool(t, "packer")}
}

// nullTemplate writes a template with Packer's null builder running the given shell-local
// commands, and returns its folder.
func nullTemplate(t *testing.T, inline ...string) string {
	t.Helper()
	var q []string
	for _, s := range inline {
		q = append(q, strconv.Quote(s))
	}
	tmpl := `source "null" "n" {
  communicator = "none"
}
build {
  sources = ["source.null.n"]
  provisioner "shell-local" {
    inline = [` + strings.Join(q, ", ") + `]
  }
}
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "box.pkr.hcl"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestVersionReal(t *testing.T) {
	v, err := realPacker(t).Version(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if v.LessThan(version.Must(version.NewVersion("1.6.0"))) {
		t.Errorf("packer %s is older than the oldest supported, 1.6.0", v)
	}
}

func TestValidateReal(t *testing.T) {
	p := realPacker(t)
	if err := p.Validate(t.Context(), nullTemplate(t, "true"), "box.pkr.hcl", nil); err != nil {
		t.Errorf("valid template: %v", err)
	}
	bad := nullTemplate(t, "true")
	b, _ := os.ReadFile(filepath.Join(bad, "box.pkr.hcl"))
	b = []byte(strings.Replace(string(b), `communicator = "none"`, "communicator = \"none\"\n  no_such_option = 1", 1))
	if err := os.WriteFile(filepath.Join(bad, "box.pkr.hcl"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	err := p.Validate(t.Context(), bad, "box.pkr.hcl", nil)
	if err == nil || !strings.Contains(err.Error(), "no_such_option") {
		t.Errorf("invalid template: got %v, want an error naming no_such_option", err)
	}
}

func TestBuildNull(t *testing.T) {
	p := realPacker(t)
	dir := nullTemplate(t, "echo hello, world", "echo token is $BOX_TOKEN", "echo to stderr >&2")
	logPath := filepath.Join(t.TempDir(), "build.log")
	var mu sync.Mutex
	var events []Event
	res, err := p.Build(t.Context(), BuildOpts{
		Dir: dir, Template: "box.pkr.hcl", LogPath: logPath,
		Env:     []string{"BOX_TOKEN=s3cr3t-t0ken"},
		Secrets: []string{"s3cr3t-t0ken"},
		OnEvent: func(e Event) { mu.Lock(); events = append(events, e); mu.Unlock() },
	})
	if err != nil {
		t.Fatal(err)
	}
	var ui []string
	for _, e := range events {
		if _, text, ok := e.UI(); ok {
			ui = append(ui, text)
		}
	}
	uiText := strings.Join(ui, "\n")
	for _, want := range []string{"null.n: hello, world", "null.n: token is [REDACTED]", "null.n: to stderr"} {
		if !strings.Contains(uiText, want) {
			t.Errorf("UI events lack %q:\n%s", want, uiText)
		}
	}
	if len(res.Artifacts) != 1 || res.Artifacts[0].BuilderID != "fnoeding.null" {
		t.Errorf("artifacts = %+v, want the null builder's one", res.Artifacts)
	}
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(log), "s3cr3t") || strings.Contains(uiText, "s3cr3t") {
		t.Errorf("the secret leaked into the log or events:\n%s", log)
	}
	if !strings.Contains(string(log), "hello, world") {
		t.Errorf("log lacks the build's output:\n%s", log)
	}
}

func TestBuildFailureCarriesTail(t *testing.T) {
	p := realPacker(t)
	dir := nullTemplate(t, "echo about to fail with pw=$PW", "exit 3")
	res, err := p.Build(t.Context(), BuildOpts{Dir: dir, Template: "box.pkr.hcl",
		Env: []string{"PW=pa55word"}, Secrets: []string{"pa55word"}})
	if err == nil {
		t.Fatal("a failing build returned no error")
	}
	msg := err.Error()
	for _, want := range []string{"about to fail with pw=[REDACTED]", "non-zero exit status: 3"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "pa55word") {
		t.Errorf("error leaks the secret:\n%s", msg)
	}
	if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0], "null.n: ") {
		t.Errorf("Result.Errors = %q, want one for null.n", res.Errors)
	}
}

// TestBuildInterruptCleansUp cancels a real build in its shell-local step: Packer gets the
// interrupt, cancels the build cleanly and exits well before the grace period ends.
func TestBuildInterruptCleansUp(t *testing.T) {
	p := realPacker(t)
	dir := nullTemplate(t, "echo $$ > shell.pid", "echo started", "sleep 600")
	logPath := filepath.Join(t.TempDir(), "build.log")
	pgid, err := interruptBuild(t, p, BuildOpts{Dir: dir, Template: "box.pkr.hcl", LogPath: logPath,
		Grace: 10 * time.Minute}, filepath.Join(dir, "shell.pid"))
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("Build() = %v, want an interrupted error wrapping context.Canceled", err)
	}
	// Packer itself says this only when it handled the interrupt: the group was not
	// killed, or Build would have waited the ten minutes of grace first.
	if log, _ := os.ReadFile(logPath); !strings.Contains(string(log), "Cleanly cancelled builds after being interrupted") {
		t.Errorf("packer did not cancel cleanly; log:\n%s", log)
	}
	if left := groupMembers(t, pgid); len(left) > 0 {
		t.Errorf("processes left in packer's group %d: %v", pgid, left)
	}
}

// TestBuildInterruptKillsQEMU starts a real QEMU in the background of a shell-local step,
// the way a VM runs beside a build. A background job of a non-interactive shell ignores
// SIGINT and keeps packer waiting on its output, so only the SIGKILL after the grace
// period ends it: Build must still return, and nothing of the group may survive.
func TestBuildInterruptKillsQEMU(t *testing.T) {
	p := realPacker(t)
	qemu := testutil.RequireTool(t, "qemu-system-x86_64")
	dir := nullTemplate(t,
		qemu+" -accel tcg -m 64 -display none -monitor none -serial none -nodefaults & echo $! > qemu.pid",
		"echo started", "sleep 600")
	pgid, err := interruptBuild(t, p, BuildOpts{Dir: dir, Template: "box.pkr.hcl", Grace: 3 * time.Second},
		filepath.Join(dir, "qemu.pid"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Build() = %v, want an error wrapping context.Canceled", err)
	}
	if left := groupMembers(t, pgid); len(left) > 0 {
		t.Errorf("processes left in packer's group %d: %v", pgid, left)
	}
	if qemuPid := readPid(t, filepath.Join(dir, "qemu.pid")); alive(qemuPid) {
		t.Errorf("qemu %d survived the interrupted build", qemuPid)
	}
}

// interruptBuild starts o, waits for the step to print "started", cancels the context and
// returns Build's error and the process group that pidFile's process was in.
func interruptBuild(t *testing.T, p *Packer, o BuildOpts, pidFile string) (int, error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	started := make(chan struct{})
	var once sync.Once
	o.OnEvent = func(e Event) {
		if _, text, ok := e.UI(); ok && strings.Contains(text, "null.n: started") {
			once.Do(func() { close(started) })
		}
	}
	done := make(chan error, 1)
	go func() { _, err := p.Build(ctx, o); done <- err }()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("build ended before it was interrupted: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("the build never reached its sleep")
	}
	pgid := pgidOf(t, readPid(t, pidFile))
	if pgid <= 1 || pgid == syscall.Getpgrp() {
		t.Fatalf("the build's process group is %d, not one of its own", pgid)
	}
	cancel()
	// Not a timing assertion: a hung Build would otherwise hang the whole test binary.
	select {
	case err := <-done:
		return pgid, err
	case <-time.After(2*time.Minute + o.Grace):
		t.Fatal("Build did not return after its context was cancelled")
		return 0, nil
	}
}

func readPid(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}
