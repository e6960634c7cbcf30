package config

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// EnvPrefix names the environment variables that set workspace variables: BOXBUILD_VAR_<name>.
const EnvPrefix = "BOXBUILD_VAR_"

var varTypes = map[string]cty.Type{"string": cty.String, "number": cty.Number, "bool": cty.Bool}

// varScope holds the variables and builds the `var.*` evaluation context.
type varScope struct {
	byName map[string]*Variable
	values map[string]cty.Value
}

func (s *varScope) evalContext() *hcl.EvalContext {
	if s == nil {
		return &hcl.EvalContext{}
	}
	vals := map[string]cty.Value{}
	for name, v := range s.values {
		vals[name] = v
	}
	return &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(vals)}}
}

func (l *loader) decodeVariables(files []*fileBlocks) hcl.Diagnostics {
	var diags hcl.Diagnostics
	l.vars = &varScope{byName: map[string]*Variable{}, values: map[string]cty.Value{}}
	for _, fb := range files {
		for _, b := range fb.content.Blocks {
			if b.Type != "variable" {
				continue
			}
			v, d := l.decodeVariable(b)
			diags = append(diags, d...)
			if v == nil {
				continue
			}
			if first, dup := l.vars.byName[v.Name]; dup {
				diags = append(diags, errorf(b.LabelRanges[0].Ptr(), "Duplicate variable",
					"A variable named %q was already defined at %s; variable names must be unique in the workspace.", v.Name, where(first.Range)))
				continue
			}
			l.vars.byName[v.Name] = v
			l.ws.Variables = append(l.ws.Variables, v)
		}
	}
	sort.Slice(l.ws.Variables, func(i, j int) bool { return l.ws.Variables[i].Name < l.ws.Variables[j].Name })
	diags = append(diags, l.assignVariables()...)
	for _, v := range l.ws.Variables {
		val := cty.UnknownVal(varTypes[v.Type])
		if v.Set {
			val, _ = convert.Convert(cty.StringVal(v.Value), varTypes[v.Type])
		}
		if v.Sensitive {
			val = val.Mark(sensitiveMark)
		}
		l.vars.values[v.Name] = val
	}
	return diags
}

func (l *loader) decodeVariable(b *hcl.Block) (*Variable, hcl.Diagnostics) {
	content, diags := b.Body.Content(variableSchema)
	if diags.HasErrors() {
		return nil, diags
	}
	v := &Variable{Name: b.Labels[0], Type: "string", Range: b.LabelRanges[0]}
	if !hclIdent(v.Name) {
		return nil, append(diags, errorf(b.LabelRanges[0].Ptr(), "Invalid variable name",
			"%q must start with a letter and contain only letters, digits and underscores.", v.Name))
	}
	a := &attrs{m: content.Attributes, ctx: &hcl.EvalContext{}}
	if at, ok := content.Attributes["type"]; ok {
		kw := hcl.ExprAsKeyword(at.Expr)
		if _, known := varTypes[kw]; !known {
			diags = append(diags, errorf(at.Expr.Range().Ptr(), "Invalid variable type",
				"The type must be one of string, number or bool, written without quotes.%s", suggest(kw, []string{"string", "number", "bool"})))
			return nil, diags
		}
		v.Type = kw
	}
	a.str("description", &v.Description)
	a.boolean("sensitive", &v.Sensitive)
	if a.has("default") {
		if val, ok := a.value("default", varTypes[v.Type]); ok {
			s := ctyString(val)
			v.Default = &s
		}
	}
	return v, append(diags, a.diags...)
}

// assignVariables resolves each variable's value; later sources win:
// default < BOXBUILD_VAR_<name> < -var-file (in order) < -var.
func (l *loader) assignVariables() hcl.Diagnostics {
	var diags hcl.Diagnostics
	set := func(name, value, from string, rng *hcl.Range) {
		v, ok := l.vars.byName[name]
		if !ok {
			diags = append(diags, errorf(rng, "Undeclared variable",
				"%s sets %q, but no variable block declares it.%s", from, name, suggest(name, l.varNames())))
			return
		}
		if _, err := convert.Convert(cty.StringVal(value), varTypes[v.Type]); err != nil {
			diags = append(diags, errorf(rng, "Invalid value for variable "+name,
				"%s gives %q, which is not a %s.", from, value, v.Type))
			return
		}
		v.Value, v.Set = value, true
	}
	for _, v := range l.ws.Variables {
		if v.Default != nil {
			v.Value, v.Set = *v.Default, true
		}
	}
	env := l.opts.Env
	if env == nil {
		env = os.Environ()
	}
	for _, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(name, EnvPrefix) {
			if _, declared := l.vars.byName[name[len(EnvPrefix):]]; declared {
				set(name[len(EnvPrefix):], value, "environment variable "+name, nil)
			}
		}
	}
	for _, path := range l.opts.VarFiles {
		diags = append(diags, l.readVarFile(path, set)...)
	}
	names := make([]string, 0, len(l.opts.Vars))
	for n := range l.opts.Vars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		set(n, l.opts.Vars[n], "-var", nil)
	}
	return diags
}

func (l *loader) readVarFile(path string, set func(name, value, from string, rng *hcl.Range)) hcl.Diagnostics {
	src, err := os.ReadFile(path)
	if err != nil {
		return hcl.Diagnostics{errorf(nil, "Cannot read variable file", "%v", err)}
	}
	f, diags := l.parser.ParseHCL(src, path)
	if diags.HasErrors() {
		return diags
	}
	attrsMap, d := f.Body.JustAttributes()
	diags = append(diags, d...)
	for name, at := range attrsMap {
		val, d := at.Expr.Value(nil)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		if !val.Type().IsPrimitiveType() || val.IsNull() {
			diags = append(diags, errorf(at.Expr.Range().Ptr(), "Invalid value for variable "+name, "Variable values must be strings, numbers or bools."))
			continue
		}
		set(name, ctyString(val), "variable file "+path, at.NameRange.Ptr())
	}
	return diags
}

func (l *loader) varNames() []string {
	var out []string
	for n := range l.vars.byName {
		out = append(out, n)
	}
	return out
}

// ctyString renders a primitive value the way a script's environment sees it.
func ctyString(v cty.Value) string {
	v, _ = v.Unmark()
	switch v.Type() {
	case cty.Bool:
		return strconv.FormatBool(v.True())
	case cty.Number:
		return v.AsBigFloat().Text('f', -1)
	default:
		s, err := convert.Convert(v, cty.String)
		if err != nil {
			return fmt.Sprint(v.GoString())
		}
		return s.AsString()
	}
}

func hclIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}
