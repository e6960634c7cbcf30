package config

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// decodeScript reads a `provision "<path>"` or `test "<path>"` block. The label is relative to
// dir (provision/ or tests/) and must name a file inside the workspace.
func (l *loader) decodeScript(b *hcl.Block, dir string) (*Script, hcl.Diagnostics) {
	content, diags := b.Body.Content(scriptSchema)
	label := b.Labels[0]
	rng := b.LabelRanges[0]
	rel, ok := insideWorkspace(dir + "/" + label)
	if !ok || strings.HasPrefix(label, "/") || !strings.HasPrefix(rel, dir+"/") {
		return nil, append(diags, errorf(rng.Ptr(), "Script outside the workspace",
			"%q must be a relative path inside %s/, such as \"web/apache.sh\"; absolute paths and \"..\" are not allowed.", label, dir))
	}
	s := &Script{Path: rel, Range: rng}
	if d := l.checkScriptFile(rel, rng); d != nil {
		diags = append(diags, d)
	}
	if at, ok := content.Attributes["env"]; ok {
		env, d := l.decodeEnv(at)
		diags = append(diags, d...)
		s.Env = env
	}
	return s, diags
}

// checkScriptFile makes sure the script exists, is a regular file and, after following
// symlinks, still lies inside the workspace: a box must never pull in files from elsewhere.
func (l *loader) checkScriptFile(rel string, rng hcl.Range) *hcl.Diagnostic {
	full := filepath.Join(l.ws.Dir, filepath.FromSlash(rel))
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		hint := ""
		if matches := l.similarScripts(rel); len(matches) > 0 {
			hint = suggest(path.Base(rel), matches)
		}
		return errorf(rng.Ptr(), "Script not found", "%s does not exist in the workspace.%s", rel, hint)
	}
	root, err := filepath.EvalSymlinks(l.ws.Dir)
	if err != nil {
		root = l.ws.Dir
	}
	if r, err := filepath.Rel(root, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return errorf(rng.Ptr(), "Script outside the workspace", "%s is a symlink to %s, outside the workspace.", rel, real)
	}
	if fi, err := os.Stat(real); err != nil || !fi.Mode().IsRegular() {
		return errorf(rng.Ptr(), "Script is not a file", "%s is not a regular file.", rel)
	}
	return nil
}

// similarScripts lists the file names beside rel, for "did you mean".
func (l *loader) similarScripts(rel string) []string {
	entries, err := os.ReadDir(filepath.Join(l.ws.Dir, filepath.FromSlash(path.Dir(rel))))
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// decodeEnv reads `env = { NAME = value, … }` pair by pair, so each problem points at its own
// entry. Values must be strings, numbers or bools; values that depend on a sensitive variable
// are marked, so render never writes them into a file.
func (l *loader) decodeEnv(at *hcl.Attribute) ([]EnvVar, hcl.Diagnostics) {
	pairs, diags := hcl.ExprMap(at.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{errorf(at.Expr.Range().Ptr(), "Invalid env", "`env` must be a map such as { DB_NAME = \"school\" }.")}
	}
	ctx := l.vars.evalContext()
	var env []EnvVar
	seen := map[string]bool{}
	for _, p := range pairs {
		name := hcl.ExprAsKeyword(p.Key)
		if name == "" {
			k, d := p.Key.Value(nil)
			if d.HasErrors() || k.Type() != cty.String || k.IsNull() {
				diags = append(diags, errorf(p.Key.Range().Ptr(), "Invalid environment variable name", "Names in `env` must be plain words such as DB_NAME."))
				continue
			}
			name = k.AsString()
		}
		if !isEnvName(name) || seen[name] {
			diags = append(diags, errorf(p.Key.Range().Ptr(), "Invalid environment variable name",
				"%q must be letters, digits and underscores, not starting with a digit, and appear once.", name))
			continue
		}
		seen[name] = true
		v, d := p.Value.Value(ctx)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		sensitive := v.HasMark(sensitiveMark)
		raw, _ := v.Unmark()
		rng := p.Value.Range()
		switch {
		case !raw.IsWhollyKnown():
			diags = append(diags, warnf(rng.Ptr(), "Variable without a value",
				"%s refers to a variable that has no value yet; set it with -var, a var file or BOXBUILD_VAR_<name> before building this box.", name))
			env = append(env, EnvVar{Name: name, Sensitive: sensitive, Missing: true, Variable: traversalVar(p.Value)})
		case raw.IsNull() || !raw.Type().IsPrimitiveType():
			diags = append(diags, errorf(rng.Ptr(), "Invalid value for "+name, "Environment values must be strings, numbers or bools."))
		default:
			env = append(env, EnvVar{Name: name, Value: ctyString(raw), Sensitive: sensitive, Variable: traversalVar(p.Value)})
		}
	}
	sort.Slice(env, func(i, j int) bool { return env[i].Name < env[j].Name })
	return env, diags
}

// traversalVar names the variable an expression is, when it is exactly `var.x`.
func traversalVar(expr hcl.Expression) string {
	trav, d := hcl.AbsTraversalForExpr(expr)
	if d.HasErrors() || len(trav) != 2 || trav.RootName() != "var" {
		return ""
	}
	if attr, ok := trav[1].(hcl.TraverseAttr); ok {
		return attr.Name
	}
	return ""
}

func isEnvName(s string) bool { return hclIdent(s) }

// insideWorkspace cleans a slash-separated relative path and reports whether it stays inside
// the workspace.
func insideWorkspace(p string) (string, bool) {
	if p == "" || path.IsAbs(p) || filepath.IsAbs(p) || strings.Contains(p, "\\") {
		return "", false
	}
	c := path.Clean(p)
	if c == "." || c == ".." || strings.HasPrefix(c, "../") {
		return "", false
	}
	return c, true
}
