package packer

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Event is one line of `packer -machine-readable` output: timestamp,target,type,data…
type Event struct {
	Time   time.Time
	Target string   // the build, e.g. "qemu.base"; empty for UI lines and totals
	Type   string   // "ui", "artifact", "artifact-count", "error", "error-count", …
	Data   []string // the remaining fields, unescaped
}

// UI reports whether e is a line meant for humans, and its kind ("say", "message",
// "error") and text. Packer puts the build's name into the text of these lines itself.
func (e Event) UI() (kind, text string, ok bool) {
	if e.Type != "ui" || len(e.Data) < 2 {
		return "", "", false
	}
	return e.Data[0], e.Data[1], true
}

// Text renders e as one human-readable log entry.
func (e Event) Text() string {
	if _, text, ok := e.UI(); ok {
		return text
	}
	return fmt.Sprintf("[%s %s] %s", e.Type, e.Target, strings.Join(e.Data, " "))
}

// ParseLine decodes one machine-readable line. Packer escapes commas inside fields as
// %!(PACKER_COMMA) and newlines and carriage returns as the two characters \n and \r.
func ParseLine(line string) (Event, error) {
	f := strings.Split(strings.TrimRight(line, "\r\n"), ",")
	if len(f) < 3 {
		return Event{}, fmt.Errorf("not a machine-readable packer line: %q", line)
	}
	sec, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return Event{}, fmt.Errorf("bad timestamp in packer line %q", line)
	}
	e := Event{Time: time.Unix(sec, 0), Target: unescape(f[1]), Type: unescape(f[2])}
	for _, d := range f[3:] {
		e.Data = append(e.Data, unescape(d))
	}
	return e, nil
}

var unescaper = strings.NewReplacer(`%!(PACKER_COMMA)`, ",", `\n`, "\n", `\r`, "\r")

func unescape(s string) string { return unescaper.Replace(s) }

// Artifact is one artifact a build reported at its end.
type Artifact struct {
	Target    string // the build that made it
	Index     string // its number within the build's artifacts, "0", "1", …
	BuilderID string // e.g. "mitchellh.post-processor.vagrant"
	ID        string
	String    string   // Packer's description of it
	Files     []string // paths, relative to the template's folder unless absolute
}

// Result collects what a build reported in its machine-readable stream.
type Result struct {
	Artifacts []Artifact
	Errors    []string // one per failed build, as "target: message"
}

// add folds one event into r. Artifact lines look like
// "target,artifact,INDEX,KEY,VALUE…" and arrive in order, index by index.
func (r *Result) add(e Event) {
	switch e.Type {
	case "error":
		if len(e.Data) > 0 {
			r.Errors = append(r.Errors, e.Target+": "+e.Data[0])
		}
	case "artifact":
		if len(e.Data) < 2 {
			return
		}
		a := r.artifact(e.Target, e.Data[0])
		switch val := e.Data[2:]; e.Data[1] {
		case "builder-id":
			a.BuilderID = first(val)
		case "id":
			a.ID = first(val)
		case "string":
			a.String = first(val)
		case "file":
			if len(val) >= 2 {
				a.Files = append(a.Files, val[1])
			}
		}
	}
}

// artifact returns the artifact being described by target's lines with this index,
// starting a new one when the index changes.
func (r *Result) artifact(target, index string) *Artifact {
	n := len(r.Artifacts)
	if n > 0 && r.Artifacts[n-1].Target == target && r.Artifacts[n-1].Index == index {
		return &r.Artifacts[n-1]
	}
	r.Artifacts = append(r.Artifacts, Artifact{Target: target, Index: index})
	return &r.Artifacts[n]
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
