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

// Progress reports a run as it happens, in one of three forms:
//   - timestamped lines, for CI logs and captured output: never redrawn, so nothing is lost;
//   - one JSON object per line with --json;
//   - on a terminal, the same lines for what is worth keeping (finished builds, and everything
//     with -v) above a live block of one status line per running build, redrawn in place.
type Progress struct {
	w       io.Writer
	json    bool
	verbose bool
	quiet   bool
	mu      sync.Mutex
	now     func() time.Time
	live    *liveView // nil unless EnableLive was called
}

// NewProgress writes to w (stderr for people, stdout for --json).
func NewProgress(w io.Writer, jsonEvents, verbose, quiet bool) *Progress {
	return &Progress{w: w, json: jsonEvents, verbose: verbose, quiet: quiet, now: time.Now}
}

type event struct {
	Time     string `json:"time"`
	Build    string `json:"build"`
	Type     string `json:"type"` // start, ui, phase, finish
	Status   string `json:"status,omitempty"`
	Message  string `json:"message,omitempty"`
	Duration string `json:"duration,omitempty"`
	// Phase and Seconds time the steps of one build (prepare, packer, record), so CI and
	// bench/overhead can tell Packer's own time from what boxbuild adds around it.
	Phase   string  `json:"phase,omitempty"`
	Seconds float64 `json:"seconds,omitempty"`
	// detail marks the per-line output of commands (Packer's "message" lines, bootstrap logs):
	// shown with -v, and as a build's status line in the live view; the full log has it.
	detail bool
}

func (p *Progress) emit(e event) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.detail && !p.verbose && p.live == nil {
		return
	}
	now := p.now()
	e.Time = now.UTC().Format(time.RFC3339)
	switch {
	case p.json:
		b, _ := json.Marshal(e)
		fmt.Fprintf(p.w, "%s\n", b)
	case p.live != nil:
		p.live.update(e, now)
		keep := e.Type == "finish" || p.verbose
		p.live.redraw(p.w, now, func() {
			if keep {
				p.printLine(e, now)
			}
		})
	case p.quiet && e.Type != "finish":
	case e.Type == "phase" && !p.verbose:
	default:
		p.printLine(e, now)
	}
}

func (p *Progress) printLine(e event, now time.Time) {
	msg := e.Message
	switch e.Type {
	case "start":
		msg = "started"
	case "phase":
		msg = fmt.Sprintf("%s took %s", e.Phase, time.Duration(e.Seconds*float64(time.Second)).Round(time.Millisecond))
	case "finish":
		msg = e.Status + " after " + e.Duration
		if e.Message != "" {
			msg += ": " + e.Message
		}
	}
	fmt.Fprintf(p.w, "%s %s | %s\n", now.Format("15:04:05"), e.Build, msg)
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

// Phase reports how long one step of a build took.
func (p *Progress) Phase(id, phase string, d time.Duration) {
	p.emit(event{Build: id, Type: "phase", Phase: phase, Seconds: d.Seconds()})
}

// Event reports one line of packer's output: what Packer says to people always, the rest
// with -v. On a terminal, the per-line command output still shows in the build's status line.
func (p *Progress) Event(id string, ev packer.Event) {
	kind, text, ok := ev.UI()
	if !ok {
		if !p.verbose {
			return
		}
		text = ev.Text()
	}
	p.emit(event{Build: id, Type: "ui", Message: strings.TrimSpace(text), detail: kind == "message"})
}

// Writer returns a writer whose lines are reported as events of build id (bootstrap logs).
func (p *Progress) Writer(id string) io.Writer {
	return lineFunc(func(line string) {
		p.emit(event{Build: id, Type: "ui", Message: line, detail: true})
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
