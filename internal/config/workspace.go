package config

import (
	"path/filepath"
	"regexp"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"

	"github.com/boxbuild/boxbuild/internal/buildinfo"
)

// checkRequiredVersion reads only workspace.required_version, ignoring everything else, and
// compares it with this binary's version.
func checkRequiredVersion(body hcl.Body) hcl.Diagnostics {
	content, _, _ := body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "workspace"}}})
	if content == nil {
		return nil
	}
	for _, b := range content.Blocks {
		c, _, _ := b.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "required_version"}}})
		at, ok := c.Attributes["required_version"]
		if !ok {
			continue
		}
		a := &attrs{m: c.Attributes, ctx: &hcl.EvalContext{}}
		var s string
		if !a.str("required_version", &s) {
			return a.diags
		}
		cons, err := version.NewConstraint(s)
		if err != nil {
			return hcl.Diagnostics{errorf(at.Expr.Range().Ptr(), "Invalid required_version",
				"%q is not a version constraint (%v); write it like \">= 0.1.0\".", s, err)}
		}
		if !cons.Check(version.Must(version.NewVersion(buildinfo.Version))) {
			return hcl.Diagnostics{errorf(at.Expr.Range().Ptr(), "boxbuild version not supported",
				"This workspace requires boxbuild %s, but this is boxbuild %s; install a matching release.", s, buildinfo.Version)}
		}
	}
	return nil
}

var orgPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

func (l *loader) decodeWorkspaceSettings(content *hcl.BodyContent) hcl.Diagnostics {
	var diags hcl.Diagnostics
	ws := l.ws
	ws.StateDir = filepath.Join(ws.Dir, ".boxbuild")
	ws.Defaults = Defaults{CPUs: 2, Memory: 2048, DiskGB: 20, Providers: []string{"libvirt"}, Arch: []string{"amd64"}}
	seen := map[string]*hcl.Block{}
	for _, b := range content.Blocks {
		if b.Type == "workspace" || b.Type == "defaults" {
			if first, dup := seen[b.Type]; dup {
				diags = append(diags, errorf(b.DefRange.Ptr(), "Duplicate "+b.Type+" block",
					"boxbuild.hcl may have one %s block; the first is at %s.", b.Type, where(first.DefRange)))
				continue
			}
			seen[b.Type] = b
		}
		switch b.Type {
		case "workspace":
			diags = append(diags, l.decodeWorkspaceBlock(b)...)
		case "defaults":
			diags = append(diags, l.decodeDefaults(b)...)
		case "catalog":
			diags = append(diags, l.decodeCatalog(b)...)
		}
	}
	if seen["workspace"] == nil {
		diags = append(diags, errorf(&hcl.Range{Filename: WorkspaceFile, Start: hcl.InitialPos, End: hcl.InitialPos},
			"Missing workspace block", "boxbuild.hcl needs a block `workspace { org = \"…\" }` naming the catalog organisation."))
	}
	return diags
}

func (l *loader) decodeWorkspaceBlock(b *hcl.Block) hcl.Diagnostics {
	content, diags := b.Body.Content(workspaceBlockSchema)
	a := &attrs{m: content.Attributes, ctx: &hcl.EvalContext{}}
	if a.str("org", &l.ws.Org) && !orgPattern.MatchString(l.ws.Org) {
		a.diags = append(a.diags, errorf(a.rng("org").Ptr(), "Invalid org",
			"%q must be lowercase letters, digits, '.', '_' or '-': it becomes part of every box's catalog name and URL.", l.ws.Org))
	}
	a.str("required_version", &l.ws.RequiredVersion)
	var state string
	if a.str("state_dir", &state) {
		if p, ok := insideWorkspace(state); ok {
			l.ws.StateDir = filepath.Join(l.ws.Dir, p)
		} else {
			a.diags = append(a.diags, errorf(a.rng("state_dir").Ptr(), "Invalid state_dir",
				"%q must be a relative path inside the workspace.", state))
		}
	}
	return append(diags, a.diags...)
}

func (l *loader) decodeDefaults(b *hcl.Block) hcl.Diagnostics {
	content, diags := b.Body.Content(defaultsSchema)
	a := l.attrs(content.Attributes)
	d := &l.ws.Defaults
	a.integer("cpus", &d.CPUs, 1, 64)
	a.integer("memory", &d.Memory, 256, 1<<20)
	a.integer("disk_gb", &d.DiskGB, 1, 4096)
	a.names("providers", "provider", knownProviders, &d.Providers)
	a.names("arch", "architecture", knownArches, &d.Arch)
	return append(diags, a.diags...)
}

// names reads a non-empty list of known, distinct names (providers, architectures).
func (a *attrs) names(attr, what string, known []string, dst *[]string) {
	var list []string
	if !a.strings(attr, &list) {
		return
	}
	if len(list) == 0 {
		a.diags = append(a.diags, errorf(a.rng(attr).Ptr(), "Empty "+attr, "%q needs at least one %s.", attr, what))
		return
	}
	var diags hcl.Diagnostics
	seen := map[string]bool{}
	for _, n := range list {
		if d := oneOf(what, n, known, a.rng(attr)); d != nil {
			diags = append(diags, d)
		} else if seen[n] {
			diags = append(diags, errorf(a.rng(attr).Ptr(), "Duplicate "+what, "%q is listed twice in %q.", n, attr))
		}
		seen[n] = true
	}
	if !diags.HasErrors() {
		*dst = list
	}
	a.diags = append(a.diags, diags...)
}

func (l *loader) decodeCatalog(b *hcl.Block) hcl.Diagnostics {
	content, diags := b.Body.Content(catalogSchema)
	c := &Catalog{Name: b.Labels[0], Kind: "local", Range: b.LabelRanges[0]}
	for _, x := range l.ws.Catalogs {
		if x.Name == c.Name {
			return append(diags, errorf(b.LabelRanges[0].Ptr(), "Duplicate catalog",
				"A catalog named %q is already defined at %s.", c.Name, where(x.Range)))
		}
	}
	a := l.attrs(content.Attributes)
	if a.str("type", &c.Kind) {
		if d := oneOf("catalog type", c.Kind, knownCatalogs, a.rng("type")); d != nil {
			a.diags = append(a.diags, d)
		}
	}
	a.str("url", &c.URL)
	a.str("token_env", &c.TokenEnv)
	var dir string
	switch {
	case a.str("dir", &dir):
		if filepath.IsAbs(dir) {
			c.Dir = filepath.Clean(dir)
		} else {
			c.Dir = filepath.Join(l.ws.Dir, dir)
		}
	case c.Kind == "local":
		a.diags = append(a.diags, errorf(b.DefRange.Ptr(), "Missing dir",
			"A local catalog needs `dir`, the folder that holds the catalog."))
	}
	if c.Kind != "local" && c.TokenEnv == "" {
		a.diags = append(a.diags, errorf(b.DefRange.Ptr(), "Missing token_env",
			"A %s catalog needs `token_env`, the environment variable that holds its token; tokens are never written in files.", c.Kind))
	}
	l.ws.Catalogs = append(l.ws.Catalogs, c)
	return append(diags, a.diags...)
}
