package config

import (
	"regexp"

	"github.com/hashicorp/hcl/v2"
)

// Box names become catalog names (org/box), folder names and URL segments.
var boxNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// A version series is MAJOR.MINOR; builds add the patch number.
var seriesPattern = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`)

func (l *loader) decodeBox(b *hcl.Block, file string) (*Box, hcl.Diagnostics) {
	box := &Box{Name: b.Labels[0], File: file, DeclRange: b.LabelRanges[0]}
	var diags hcl.Diagnostics
	if !boxNamePattern.MatchString(box.Name) {
		diags = append(diags, errorf(b.LabelRanges[0].Ptr(), "Invalid box name",
			"%q must be lowercase letters, digits, '.', '_' or '-', starting with a letter or digit: it becomes a catalog name and a URL.", box.Name))
	}
	if first := l.ws.Box(box.Name); first != nil {
		return nil, append(diags, errorf(b.LabelRanges[0].Ptr(), "Duplicate box",
			"A box named %q is already defined at %s; box names must be unique across boxes/*.hcl.", box.Name, where(first.DeclRange)))
	}
	content, d := b.Body.Content(boxSchema)
	diags = append(diags, d...)
	if content == nil {
		return nil, diags
	}
	a := l.attrs(content.Attributes)
	a.str("description", &box.Description)
	if a.str("version", &box.Version) && !seriesPattern.MatchString(box.Version) {
		a.diags = append(a.diags, errorf(a.rng("version").Ptr(), "Invalid version series",
			"%q is not a version series; write MAJOR.MINOR such as \"2.1\" — boxbuild adds the patch number (2.1.0, 2.1.1, …) per build.", box.Version))
	}
	if a.str("from", &box.From) {
		box.FromRange = a.rng("from")
	}
	a.names("providers", "provider", knownProviders, &box.Providers)
	box.ProvidersRange = a.rng("providers")
	a.names("arch", "architecture", knownArches, &box.Arch)
	a.integer("cpus", &box.CPUs, 1, 64)
	a.integer("memory", &box.Memory, 256, 1<<20)
	a.integer("disk_gb", &box.DiskGB, 1, 4096)
	diags = append(diags, a.diags...)

	var sources []*hcl.Block
	for _, blk := range content.Blocks {
		switch blk.Type {
		case "source":
			sources = append(sources, blk)
			src, d := l.decodeSource(blk)
			diags = append(diags, d...)
			if len(sources) == 1 {
				box.Source = src
			}
		case "provision":
			s, d := l.decodeScript(blk, ProvisionDir)
			diags = append(diags, d...)
			if s != nil {
				box.Provisions = append(box.Provisions, s)
			}
		case "test":
			s, d := l.decodeScript(blk, TestsDir)
			diags = append(diags, d...)
			if s != nil {
				box.Tests = append(box.Tests, s)
			}
		case "forward":
			f, d := l.decodeForward(blk, box.Forwards)
			diags = append(diags, d...)
			if f != nil {
				box.Forwards = append(box.Forwards, f)
			}
		}
	}
	switch {
	case len(sources) > 1:
		diags = append(diags, errorf(sources[1].DefRange.Ptr(), "More than one source",
			"Box %q already has a source at %s; a box starts from exactly one source or from a parent box.", box.Name, where(sources[0].DefRange)))
	case len(sources) == 1 && box.From != "":
		diags = append(diags, errorf(a.rng("from").Ptr(), "Both source and from",
			"Box %q has a source block at %s and `from`; keep the source for a base box, or `from` to derive from another box.", box.Name, where(sources[0].DefRange)))
	case len(sources) == 0 && box.From == "" && !a.has("from"):
		diags = append(diags, errorf(b.DefRange.Ptr(), "Box has no source",
			"Box %q needs a `source \"bootstrap\" {}`, `source \"iso\" {…}` or `source \"image\" {…}` block, or `from = \"<box>\"` to derive from another box.", box.Name))
	}
	return box, diags
}
