package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
)

// checkBoxes validates what spans boxes: parents exist, `from` has no cycles, derived boxes
// inherit what they do not set and only ask for providers their parent is built for.
func (l *loader) checkBoxes() hcl.Diagnostics {
	var diags hcl.Diagnostics
	names := make([]string, 0, len(l.ws.Boxes))
	for _, b := range l.ws.Boxes {
		names = append(names, b.Name)
	}
	for _, b := range l.ws.Boxes {
		if b.From != "" && l.ws.Box(b.From) == nil {
			diags = append(diags, errorf(l.fromRange(b), "Unknown parent box",
				"Box %q derives from %q, which no boxes/*.hcl defines.%s", b.Name, b.From, suggest(b.From, names)))
		}
	}
	if diags.HasErrors() {
		return diags
	}
	if d := l.checkCycles(); d.HasErrors() {
		return append(diags, d...)
	}
	// Parents before children, so each child inherits from a finished parent.
	done := map[string]bool{}
	var visit func(b *Box)
	visit = func(b *Box) {
		if done[b.Name] {
			return
		}
		done[b.Name] = true
		if b.From == "" {
			l.applyDefaults(b, nil)
			return
		}
		p := l.ws.Box(b.From)
		visit(p)
		l.applyDefaults(b, p)
		for _, pair := range [][2][]string{{b.Providers, p.Providers}, {b.Arch, p.Arch}} {
			for _, x := range pair[0] {
				if !contains(pair[1], x) {
					diags = append(diags, errorf(b.DeclRange.Ptr(), "Not built by the parent",
						"Box %q asks for %q, but its parent %q is built only for %s.", b.Name, x, p.Name, strings.Join(pair[1], ", ")))
				}
			}
		}
	}
	for _, b := range l.ws.Boxes {
		visit(b)
	}
	return diags
}

// applyDefaults fills what a box leaves unset from its parent, else the workspace defaults.
// A derived box also inherits its parent's tests and forwards: what the parent promises
// must still hold for the child.
func (l *loader) applyDefaults(b, parent *Box) {
	d := l.ws.Defaults
	if parent != nil {
		d = Defaults{CPUs: parent.CPUs, Memory: parent.Memory, DiskGB: parent.DiskGB, Providers: parent.Providers, Arch: parent.Arch}
		b.Tests = append(append([]*Script{}, parent.Tests...), b.Tests...)
		for _, f := range parent.Forwards {
			if !hasForward(b.Forwards, f.Name) {
				b.Forwards = append(b.Forwards, f)
			}
		}
		if b.Description == "" {
			b.Description = parent.Description
		}
	}
	if b.CPUs == 0 {
		b.CPUs = d.CPUs
	}
	if b.Memory == 0 {
		b.Memory = d.Memory
	}
	if b.DiskGB == 0 {
		b.DiskGB = d.DiskGB
	}
	if b.Providers == nil {
		b.Providers = d.Providers
	}
	if b.Arch == nil {
		b.Arch = d.Arch
	}
}

func hasForward(list []*Forward, name string) bool {
	for _, f := range list {
		if f.Name == name {
			return true
		}
	}
	return false
}

// checkCycles reports each `from` cycle once, naming every box in it.
func (l *loader) checkCycles() hcl.Diagnostics {
	var diags hcl.Diagnostics
	reported := map[string]bool{}
	for _, start := range l.ws.Boxes {
		var path []string
		onPath := map[string]int{}
		for b := start; b != nil && b.From != ""; b = l.ws.Box(b.From) {
			if i, seen := onPath[b.Name]; seen {
				cycle := path[i:]
				if !reported[cycle[0]] {
					for _, n := range cycle {
						reported[n] = true
					}
					first := l.ws.Box(cycle[0])
					diags = append(diags, errorf(l.fromRange(first), "Cycle in from",
						"These boxes derive from each other in a circle: %s → %s. One of them must start from a source instead.",
						strings.Join(cycle, " → "), cycle[0]))
				}
				break
			}
			onPath[b.Name] = len(path)
			path = append(path, b.Name)
		}
	}
	return diags
}

func (l *loader) fromRange(b *Box) *hcl.Range {
	if b.FromRange.Filename != "" {
		return b.FromRange.Ptr()
	}
	return b.DeclRange.Ptr()
}

// checkSemesters validates each course's pin against the boxes.
func (l *loader) checkSemesters() hcl.Diagnostics {
	var diags hcl.Diagnostics
	names := make([]string, 0, len(l.ws.Boxes))
	for _, b := range l.ws.Boxes {
		names = append(names, b.Name)
	}
	for _, s := range l.ws.Semesters {
		for _, c := range s.Courses {
			b := l.ws.Box(c.Box)
			if b == nil {
				diags = append(diags, errorf(c.Range.Ptr(), "Unknown box",
					"Course %q pins box %q, which no boxes/*.hcl defines.%s", c.Name, c.Box, suggest(c.Box, names)))
				continue
			}
			if _, err := version.NewConstraint(c.Version); err == nil && !SeriesCanSatisfy(b.Version, c.Version) {
				diags = append(diags, errorf(c.Range.Ptr(), "Pin can never match",
					"Course %q pins %s %q, but box %q publishes only %s.x versions; no build can ever satisfy it.",
					c.Name, c.Box, c.Version, b.Name, b.Version))
			}
		}
	}
	return diags
}

// SeriesCanSatisfy reports whether some version series.N (N ≥ 0) satisfies constraint.
// A constraint is a finite set of comparisons, so the versions that satisfy it form intervals
// whose ends are the patch numbers it names: trying those, their neighbours, 0 and a huge
// number decides it exactly.
func SeriesCanSatisfy(series, constraint string) bool {
	cons, err := version.NewConstraint(constraint)
	if err != nil {
		return false
	}
	var major, minor int
	if _, err := fmt.Sscanf(series, "%d.%d", &major, &minor); err != nil {
		return false
	}
	candidates := []int64{0, 1, 1 << 40}
	for _, part := range strings.Split(constraint, ",") {
		v, err := version.NewVersion(strings.TrimLeft(strings.TrimSpace(part), "=!<>~ "))
		if err != nil {
			continue
		}
		seg := v.Segments64()
		if len(seg) >= 3 {
			candidates = append(candidates, seg[2]-1, seg[2], seg[2]+1)
		}
	}
	for _, n := range candidates {
		if n < 0 {
			continue
		}
		if cons.Check(version.Must(version.NewVersion(fmt.Sprintf("%d.%d.%d", major, minor, n)))) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
