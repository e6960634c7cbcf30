package plan

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/artifact"
	"github.com/boxbuild/boxbuild/internal/cache"
	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/render"
)

// Build is one box × provider × arch in a plan.
type Build struct {
	ID       string // "box/provider/arch"
	Box      *config.Box
	Provider string
	Arch     string
	Parent   *Build // the build this one starts from; nil for a base box
	Render   *render.Result
	ActionID string
	Lines    []string // the hashed inputs (see actionLines)
	Version  string   // the version this build produces, or produced when cached
	Cached   *cache.Entry
	Reasons  []string // why it must build; empty for a cache hit
	Selected bool     // asked for by name, rather than needed by a selected box
}

// NeedsBuild reports whether the run must build it.
func (b *Build) NeedsBuild() bool { return b.Cached == nil }

// Plan is an ordered list of builds: parents always before their children.
type Plan struct {
	Builds        []*Build
	PackerVersion string
}

// Options select and tune a plan.
type Options struct {
	Boxes     []string // box names; empty means every box
	Providers []string // only these providers; empty means each box's own
	Arch      []string // only these architectures
	Force     bool     // rebuild the selected boxes even when cached
	Packer    *version.Version
	RenderDir string    // where the build folders are rendered
	Debug     io.Writer // receives BOXBUILD_DEBUG_HASH=1 lines
	// Published lists the versions of a box already in the catalog, so a new build never
	// takes a number that was published with other content. Nil means none.
	Published func(box string) []string
}

// Make renders the selected builds and decides, for each, whether it is cached.
func Make(ws *config.Workspace, opts Options) (*Plan, error) {
	boxes, selected, err := selectBoxes(ws, opts.Boxes)
	if err != nil {
		return nil, err
	}
	results, err := render.Render(ws, render.Options{
		OutDir: opts.RenderDir, Packer: opts.Packer, Boxes: boxes, Providers: opts.Providers, Arch: opts.Arch,
	})
	if err != nil {
		return nil, err
	}
	key, err := secretKey(ws.StateDir)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	p := &Plan{PackerVersion: opts.Packer.String()}
	byID := map[string]*Build{}
	for _, r := range results { // render returns boxes in name order; order by parents below
		b := &Build{ID: r.Box + "/" + r.Provider + "/" + r.Arch, Box: ws.Box(r.Box), Provider: r.Provider, Arch: r.Arch,
			Render: r, Selected: selected[r.Box]}
		byID[b.ID] = b
		p.Builds = append(p.Builds, b)
	}
	p.Builds = topoSort(p.Builds, byID)
	c := cache.Open(ws.StateDir)
	for _, b := range p.Builds {
		parentID := ""
		if b.Box.From != "" {
			b.Parent = byID[b.Box.From+"/"+b.Provider+"/"+b.Arch]
			if b.Parent == nil {
				return nil, fmt.Errorf("plan: %s starts from %s, which is not built for %s/%s", b.Box.Name, b.Box.From, b.Provider, b.Arch)
			}
			parentID = b.Parent.ActionID
		}
		b.Lines = actionLines(b, p.PackerVersion, parentID, key)
		b.ActionID = hashLines(b.Lines, opts.Debug)
		if e, ok := c.Get(b.ActionID); ok && !(opts.Force && b.Selected) {
			b.Cached, b.Version = e, e.Artifact.Version
			continue
		}
		b.Reasons = reasons(b, c, opts.Force && b.Selected)
	}
	if err := assignVersions(ws, p, opts.Published); err != nil {
		return nil, err
	}
	return p, nil
}

// selectBoxes returns the named boxes plus every box they derive from.
func selectBoxes(ws *config.Workspace, names []string) ([]string, map[string]bool, error) {
	selected := map[string]bool{}
	if len(names) == 0 {
		for _, b := range ws.Boxes {
			selected[b.Name] = true
		}
	}
	var all []string
	for _, n := range names {
		if ws.Box(n) == nil {
			var known []string
			for _, b := range ws.Boxes {
				known = append(known, b.Name)
			}
			return nil, nil, fmt.Errorf("no box named %q in the workspace (boxes: %s)", n, strings.Join(known, ", "))
		}
		selected[n] = true
	}
	need := map[string]bool{}
	for n := range selected {
		for b := ws.Box(n); b != nil && !need[b.Name]; b = ws.Box(b.From) {
			need[b.Name] = true
		}
	}
	for n := range need {
		all = append(all, n)
	}
	sort.Strings(all)
	return all, selected, nil
}

// topoSort orders builds so that every parent comes before its children, keeping the
// render order otherwise.
func topoSort(builds []*Build, byID map[string]*Build) []*Build {
	var out []*Build
	done := map[string]bool{}
	var visit func(b *Build)
	visit = func(b *Build) {
		if done[b.ID] {
			return
		}
		done[b.ID] = true
		if b.Box.From != "" {
			if parent := byID[b.Box.From+"/"+b.Provider+"/"+b.Arch]; parent != nil {
				visit(parent)
			}
		}
		out = append(out, b)
	}
	for _, b := range builds {
		visit(b)
	}
	return out
}

// assignVersions gives every box that builds the next patch of its series: one higher than
// anything built or published before, so a number never names two different contents.
// All of a box's providers built in one run share that version.
func assignVersions(ws *config.Workspace, p *Plan, published func(string) []string) error {
	built, err := artifact.List(ws.StateDir)
	if err != nil {
		return err
	}
	next := map[string]string{}
	for _, b := range p.Builds {
		if !b.NeedsBuild() {
			continue
		}
		if v, ok := next[b.Box.Name]; ok {
			b.Version = v
			continue
		}
		var used []string
		for _, a := range built {
			if a.Box == b.Box.Name {
				used = append(used, a.Version)
			}
		}
		if published != nil {
			used = append(used, published(b.Box.Name)...)
		}
		b.Version = NextPatch(b.Box.Version, used)
		next[b.Box.Name] = b.Version
	}
	return nil
}

// NextPatch returns series.N with N one above the highest patch of series in used, or
// series.0 when none is.
func NextPatch(series string, used []string) string {
	n := int64(-1)
	for _, u := range used {
		v, err := version.NewVersion(u)
		if err != nil {
			continue
		}
		seg := v.Segments64()
		if fmt.Sprintf("%d.%d", seg[0], seg[1]) == series && seg[2] > n {
			n = seg[2]
		}
	}
	return fmt.Sprintf("%s.%d", series, n+1)
}
