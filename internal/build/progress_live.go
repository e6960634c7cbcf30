package build

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/mattn/go-runewidth"
)

// liveView is the block of status lines at the bottom of a terminal: one per running build,
// with its elapsed time and Packer's latest line. It is erased and drawn again below every
// line that is printed for good, and once a second so the clocks move.
type liveView struct {
	width   func() int // terminal columns; lines are cut to fit, since a wrapped line would break the redraw
	running []*buildStatus
	drawn   int // lines of the block now on screen
	stop    chan struct{}
}

type buildStatus struct {
	id      string
	started time.Time
	last    string
}

// EnableLive switches p to the terminal view; width reports the terminal's columns. Call
// Close when the run is over, so the block is erased and the clock stops.
func (p *Progress) EnableLive(width func() int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.live = &liveView{width: width, stop: make(chan struct{})}
	go p.tick(p.live)
}

// Close erases the live block and goes back to plain lines; a no-op for the other forms.
func (p *Progress) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live == nil {
		return
	}
	close(p.live.stop)
	p.live.running = nil
	p.live.redraw(p.w, p.now(), func() {})
	p.live = nil
}

// Done takes build id off the live block without a line of its own, for callers that print
// the outcome themselves (boxbuild test, on stdout); without the live view it does nothing.
func (p *Progress) Done(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live == nil {
		return
	}
	p.live.update(event{Build: id, Type: "finish"}, p.now())
	p.live.redraw(p.w, p.now(), func() {})
}

func (p *Progress) tick(v *liveView) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-v.stop:
			return
		case <-t.C:
			p.mu.Lock()
			if len(v.running) > 0 {
				v.redraw(p.w, p.now(), func() {})
			}
			p.mu.Unlock()
		}
	}
}

// update records what e changes in the running builds.
func (v *liveView) update(e event, now time.Time) {
	i := v.index(e.Build)
	switch {
	case e.Type == "start" && i < 0:
		v.running = append(v.running, &buildStatus{id: e.Build, started: now, last: "started"})
	case e.Type == "finish" && i >= 0:
		v.running = append(v.running[:i], v.running[i+1:]...)
	case e.Type == "ui" && i >= 0:
		if l := lastLine(e.Message); l != "" {
			v.running[i].last = l
		}
	}
}

func (v *liveView) index(id string) int {
	for i, s := range v.running {
		if s.id == id {
			return i
		}
	}
	return -1
}

// redraw erases the block, lets print write lines that stay, and draws the block below them.
func (v *liveView) redraw(w io.Writer, now time.Time, print func()) {
	if v.drawn > 0 {
		// Up to the block's first line, then erase from there to the end of the screen.
		fmt.Fprintf(w, "\x1b[%dA\r\x1b[J", v.drawn)
	}
	print()
	width := 80
	if v.width != nil {
		if c := v.width(); c > 0 {
			width = c
		}
	}
	var b strings.Builder
	for _, s := range v.running {
		line := fmt.Sprintf("  %s  %s  %s", s.id, now.Sub(s.started).Truncate(time.Second), printable(s.last))
		b.WriteString(cut(line, width-1))
		b.WriteByte('\n')
	}
	io.WriteString(w, b.String())
	v.drawn = len(v.running)
}

// lastLine is the last non-blank line of a message that may span several (or redraw one
// with carriage returns, as apt and curl do in the guest).
func lastLine(s string) string {
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return ""
}

// printable keeps a message from moving the cursor: Packer relays what the guest prints,
// carriage returns and escape sequences included.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// cut shortens s to n terminal columns. It counts columns, not runes: a wide character (CJK,
// most emoji) takes two, and a line that wrapped would throw the redraw off by a line.
func cut(s string, n int) string {
	return runewidth.Truncate(s, n, "…")
}
