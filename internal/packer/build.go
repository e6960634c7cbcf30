package packer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// BuildOpts describes one `packer build`.
type BuildOpts struct {
	Dir      string   // working folder; relative paths in the template resolve from here
	Template string   // template file or folder, relative to Dir
	Env      []string // added to the environment ("NAME=value"); sensitive values go here
	Secrets  []string // values redacted from the log, events and errors
	LogPath  string   // the full log is written here when set
	OnEvent  func(Event)
	// Grace is how long Packer gets to clean up after the interrupt when the context is
	// cancelled, before its process group is killed. Zero means DefaultGrace.
	Grace time.Duration
}

// DefaultGrace is long enough for Packer to stop a QEMU guest and delete its output.
const DefaultGrace = 60 * time.Second

// tailSize is how many log lines a build error carries.
const tailSize = 30

// Build runs `packer build -machine-readable -force TEMPLATE`. -force because a rerun
// must replace the output folder that the vagrant post-processor leaves or deletes.
//
// The returned Result holds what Packer reported even when the build failed. The error of
// a failed build ends with the last lines of its log; a cancelled build's error wraps the
// context's error.
func (p *Packer) Build(ctx context.Context, o BuildOpts) (*Result, error) {
	red := NewRedactor(o.Secrets)
	var logw io.Writer = io.Discard
	if o.LogPath != "" {
		f, err := os.Create(o.LogPath)
		if err != nil {
			return nil, fmt.Errorf("packer build log: %w", err)
		}
		defer f.Close()
		logw = f
	}
	log := red.Writer(logw)
	defer log.Close()

	tail := &tailLines{max: tailSize}
	res := &Result{}
	var mu sync.Mutex // one line at a time into the log, the tail and OnEvent
	emit := func(text string, ev *Event) {
		mu.Lock()
		defer mu.Unlock()
		text = red.String(text)
		fmt.Fprintln(log, text)
		tail.add(text)
		if ev != nil {
			res.add(*ev)
			if o.OnEvent != nil {
				o.OnEvent(*ev)
			}
		}
	}

	cmd := exec.CommandContext(ctx, p.Path, BuildArgs(o)...)
	cmd.Dir = o.Dir
	cmd.Env = environ(o.Env)
	stdout := lineWriter(func(line string) {
		ev, err := ParseLine(line)
		if err != nil { // a plugin's stray output or a panic: keep it as it is
			emit(line, nil)
			return
		}
		ev.Target, ev.Data = red.String(ev.Target), redactAll(red, ev.Data)
		emit(ev.Text(), &ev)
	})
	stderr := lineWriter(func(line string) { emit(line, nil) })
	cmd.Stdout, cmd.Stderr = stdout, stderr
	grace := o.Grace
	if grace == 0 {
		grace = DefaultGrace
	}
	stopGroup := inOwnGroup(cmd, grace)

	start := time.Now()
	err := cmd.Run()
	stopGroup()
	stdout.Close()
	stderr.Close()
	switch {
	case ctx.Err() != nil:
		return res, fmt.Errorf("packer build %s interrupted after %s: %w\n%s",
			o.Template, time.Since(start).Round(time.Second), context.Cause(ctx), tail)
	case err != nil:
		return res, fmt.Errorf("packer build %s: %w\n%s", o.Template, err, tail)
	}
	return res, nil
}

// BuildArgs are the arguments Build gives packer, for a dry run to print:
// build -machine-readable -force TEMPLATE (run in o.Dir).
func BuildArgs(o BuildOpts) []string {
	return []string{"build", "-machine-readable", "-force", o.Template}
}

func redactAll(r *Redactor, ss []string) []string {
	for i, s := range ss {
		ss[i] = r.String(s)
	}
	return ss
}

// inOwnGroup starts cmd in a new process group. Cancelling the context sends SIGINT to
// the whole group — packer, its plugins, the shell of a shell-local step and QEMU — and
// SIGKILL to the group after grace if it has not exited; WaitDelay keeps Wait from hanging
// on a grandchild that holds the output pipes. The returned func, called after Wait,
// kills whatever is left in the group: nothing a build started outlives it.
func inOwnGroup(cmd *exec.Cmd, grace time.Duration) (stop func()) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var timer *time.Timer
	var mu sync.Mutex
	cmd.Cancel = func() error {
		pgid := cmd.Process.Pid
		mu.Lock()
		timer = time.AfterFunc(grace, func() { _ = syscall.Kill(-pgid, syscall.SIGKILL) })
		mu.Unlock()
		if err := syscall.Kill(-pgid, syscall.SIGINT); err != nil && !errors.Is(err, syscall.ESRCH) {
			return err
		}
		return nil
	}
	cmd.WaitDelay = grace + 5*time.Second
	return func() {
		mu.Lock()
		if timer != nil {
			timer.Stop()
		}
		mu.Unlock()
		if cmd.Process != nil {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}
}

// lineWriter calls fn with each complete line written to it; Close flushes a last
// unterminated line.
func lineWriter(fn func(string)) *lineSplitter { return &lineSplitter{fn: fn} }

type lineSplitter struct {
	fn  func(string)
	buf []byte
}

func (l *lineSplitter) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		l.fn(string(l.buf[:i]))
		l.buf = l.buf[i+1:]
	}
}

func (l *lineSplitter) Close() {
	if len(l.buf) > 0 {
		l.fn(string(l.buf))
		l.buf = nil
	}
}
