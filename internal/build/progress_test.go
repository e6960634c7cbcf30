package build

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"

	"github.com/boxbuild/boxbuild/internal/packer"
)

// clock is a settable time for Progress.now, starting at 10:00:00; safe for the live view's
// ticker to read while the test moves it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 9, 1, 10, 0, 0, 0, time.Local)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) wait(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func ui(kind, text string) packer.Event {
	return packer.Event{Type: "ui", Data: []string{kind, text}}
}

func TestProgressLines(t *testing.T) {
	for _, tc := range []struct {
		name           string
		verbose, quiet bool
		want           []string
	}{
		{"default", false, false, []string{
			"10:00:01 web | started",
			"10:00:02 web | ==> qemu.web: Waiting for SSH to become available...",
			"10:00:05 web | ok after 1m30s",
		}},
		{"verbose", true, false, []string{
			"10:00:01 web | started",
			"10:00:02 web | ==> qemu.web: Waiting for SSH to become available...",
			"10:00:03 web | apt-get: 12 packages upgraded",
			"10:00:04 web | packer took 1m2.5s",
			"10:00:05 web | ok after 1m30s",
		}},
		{"quiet", false, true, []string{
			"10:00:05 web | ok after 1m30s",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			p := NewProgress(&out, false, tc.verbose, tc.quiet)
			c := newClock()
			p.now = c.now
			for _, step := range []func(){
				func() { p.Start("web") },
				func() { p.Event("web", ui("say", "==> qemu.web: Waiting for SSH to become available...")) },
				func() { p.Event("web", ui("message", "apt-get: 12 packages upgraded")) },
				func() { p.Phase("web", "packer", 62500*time.Millisecond) },
			} {
				c.wait(time.Second)
				step()
			}
			c.wait(time.Second)
			p.Finish(Result{ID: "web", Status: OK, Duration: 90 * time.Second})
			got := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestProgressJSONPhases(t *testing.T) {
	var out bytes.Buffer
	p := NewProgress(&out, true, false, false)
	p.Phase("web", "record", 1500*time.Millisecond)
	p.Finish(Result{ID: "web", Status: Failed, Err: errors.New("packer build: exit 1"), Duration: time.Minute})
	var evs []event
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var e event
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		evs = append(evs, e)
	}
	if len(evs) != 2 || evs[0].Type != "phase" || evs[0].Phase != "record" || evs[0].Seconds != 1.5 {
		t.Errorf("phase event: %+v", evs)
	}
	if evs[1].Status != "failed" || evs[1].Message != "packer build: exit 1" || evs[1].Duration != "1m0s" {
		t.Errorf("finish event: %+v", evs[1])
	}
}

// screen plays what the live view writes onto a terminal: text, newlines, and the two
// sequences it uses (cursor up N lines, erase to the end of the screen).
type screen struct {
	lines []string
	row   int
}

var escape = regexp.MustCompile(`^\x1b\[(\d*)([AJ])`)

func (s *screen) Write(b []byte) (int, error) {
	in := string(b)
	for len(in) > 0 {
		if m := escape.FindStringSubmatch(in); m != nil {
			switch m[2] {
			case "A":
				n, _ := strconv.Atoi(m[1])
				s.row = max(0, s.row-n)
			case "J":
				s.lines = s.lines[:min(s.row, len(s.lines))]
			}
			in = in[len(m[0]):]
			continue
		}
		switch in[0] {
		case '\r':
		case '\n':
			s.row++
		case 0x1b:
			return 0, errors.New("unexpected escape sequence")
		default:
			for len(s.lines) <= s.row {
				s.lines = append(s.lines, "")
			}
			s.lines[s.row] += in[:1]
		}
		in = in[1:]
	}
	return len(b), nil
}

func (s *screen) String() string { return strings.Join(s.lines, "\n") }

func TestCutCountsColumns(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"a longer line", 8, "a longe…"},
		{"日本語のログ", 7, "日本語…"}, // two columns each: three fit beside the ellipsis
	} {
		if got := cut(tt.in, tt.n); got != tt.want || runewidth.StringWidth(got) > tt.n {
			t.Errorf("cut(%q, %d) = %q (%d columns), want %q", tt.in, tt.n, got, runewidth.StringWidth(got), tt.want)
		}
	}
}

func TestProgressLive(t *testing.T) {
	scr := &screen{}
	p := NewProgress(scr, false, false, false)
	c := newClock()
	p.now = c.now
	p.EnableLive(func() int { return 60 })
	p.Start("base")
	c.wait(time.Second)
	p.Start("web")
	c.wait(3 * time.Second)
	p.Event("web", ui("message", "qemu.web: Setting up php8.2-fpm (8.2.7-1) ...\r\n"))
	p.Event("base", ui("say", "==> qemu.base: \x1b[1mWaiting for SSH\x1b[0m to become available... and a lot more text"))
	want := strings.Join([]string{
		"  base  4s  ==> qemu.base:  [1mWaiting for SSH [0m to beco…",
		"  web  3s  qemu.web: Setting up php8.2-fpm (8.2.7-1) ...",
	}, "\n")
	if scr.String() != want {
		t.Errorf("two running builds:\n%s\nwant\n%s", scr, want)
	}
	c.wait(2 * time.Second)
	p.Finish(Result{ID: "base", Status: OK, Duration: 3 * time.Minute})
	want = strings.Join([]string{
		"10:00:06 base | ok after 3m0s",
		"  web  5s  qemu.web: Setting up php8.2-fpm (8.2.7-1) ...",
	}, "\n")
	if scr.String() != want {
		t.Errorf("after one finished:\n%s\nwant\n%s", scr, want)
	}
	p.Close()
	if want := "10:00:06 base | ok after 3m0s"; scr.String() != want {
		t.Errorf("after Close:\n%s\nwant\n%s", scr, want)
	}
	for _, l := range scr.lines {
		if runewidth.StringWidth(l) >= 60 {
			t.Errorf("line wider than the terminal: %q", l)
		}
	}
	p.Close() // a second Close is harmless
}

func TestProgressDone(t *testing.T) {
	scr := &screen{}
	p := NewProgress(scr, false, false, false)
	p.now = newClock().now
	p.Done("web") // no live view: nothing happens
	p.EnableLive(func() int { return 80 })
	p.Start("web")
	p.Done("web")
	if scr.String() != "" {
		t.Errorf("after Done the screen holds:\n%s", scr)
	}
	p.Close()
}
