package build

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/boxbuild/boxbuild/internal/packer"
)

// Progress reports a run as it happens: a timestamped line per event for people (CI logs
// and terminals alike: lines are never redrawn, so nothing is lost when output is captured),
// or one JSON object per line with --json.
type Progress struct {
	w       io.Writer
	json    bool
	verbose bool
	quiet   bool
	mu      sync.Mutex
	now     func() time.Time
}

// NewProgress writes to w (stderr for people, stdout for --json).
func NewProgress(w io.Writer, jsonEvents, verbose, quiet bool) *Progress {
	return &Progress{w: w, json: jsonEvents, verbose: verbose, quiet: quiet, now: time.Now}
}

type event struct {
	Time     string `json:"time"`
	Build    string `json:"build"`
	Type     string `json:"type"` // start, ui, finish
	Status   string `json:"status,omitempty"`
	Message  string `json:"message,omitempty"`
	Duration string `json:"duration,omitempty"`
}

func (p *Progress) emit(e event) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	e.Time = p.now().UTC().Format(time.RFC3339)
	if p.json {
		b, _ := json.Marshal(e)
		fmt.Fprintf(p.w, "%s\n", b)
		return
	}
	if p.quiet && e.Type != "finish" {
		return
	}
	msg := e.Message
	switch e.Type {
	case "start":
		msg = "started"
	case "finish":
		msg = e.Status + " after " + e.Duration
		if e.Message != "" {
			msg += ": " + e.Message
		}
	}
	fmt.Fprintf(p.w, "%s %s | %s\n", p.now().Format("15:04:05"), e.Build, msg)
}

// Start reports that a build began.
func (p *Progress) Start(id string) { p.emit(event{Build: id, Type: "start"}) }

// Finish reports how a build ended.
func (p *Progress) Finish(r Result) {
	e := event{Build: r.ID, Type: "finish", Status: r.Status.String(), Duration: r.Duration.Round(time.Second).String()}
	if r.Err != nil {
		e.Message = r.Err.Error()
	}
	p.emit(e)
}

// Event reports one line of packer's output: what Packer says to people always, the rest
// with -v.
func (p *Progress) Event(id string, ev packer.Event) {
	kind, text, ok := ev.UI()
	if !ok && !p.verbose {
		return
	}
	if !ok {
		text = ev.Text()
	} else if kind == "message" && !p.verbose {
		return // per-line command output; the full log has it
	}
	p.emit(event{Build: id, Type: "ui", Message: strings.TrimSpace(text)})
}

// Writer returns a writer whose lines are reported as events of build id (bootstrap logs).
func (p *Progress) Writer(id string) io.Writer {
	return lineFunc(func(line string) {
		if p.verbose {
			p.emit(event{Build: id, Type: "ui", Message: line})
		}
	})
}

type lineFunc func(string)

func (f lineFunc) Write(b []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if l != "" {
			f(l)
		}
	}
	return len(b), nil
}
