package config

import (
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// sensitiveMark marks values that came from a sensitive variable; it survives string
// templates and concatenation, so "${var.pw}x" is still known to be a secret.
const sensitiveMark = "sensitive"

// attrs wraps a block's attributes with typed getters that report wrong types at the value.
type attrs struct {
	m     hcl.Attributes
	ctx   *hcl.EvalContext
	diags hcl.Diagnostics
}

func (l *loader) attrs(m hcl.Attributes) *attrs {
	return &attrs{m: m, ctx: l.vars.evalContext()}
}

func (a *attrs) has(name string) bool { _, ok := a.m[name]; return ok }

func (a *attrs) rng(name string) hcl.Range {
	if at, ok := a.m[name]; ok {
		return at.Expr.Range()
	}
	return hcl.Range{}
}

// value evaluates an attribute and converts it to want; ok is false when the attribute is
// missing or wrong (the diagnostic is recorded).
func (a *attrs) value(name string, want cty.Type) (cty.Value, bool) {
	at, ok := a.m[name]
	if !ok {
		return cty.NilVal, false
	}
	v, d := at.Expr.Value(a.ctx)
	a.diags = append(a.diags, d...)
	if d.HasErrors() {
		return cty.NilVal, false
	}
	if v.IsNull() {
		a.diags = append(a.diags, errorf(at.Expr.Range().Ptr(), "Missing value for "+name, "%q must not be null.", name))
		return cty.NilVal, false
	}
	cv, err := convert.Convert(v, want)
	if err != nil {
		a.diags = append(a.diags, errorf(at.Expr.Range().Ptr(), "Wrong type for "+name,
			"%q must be a %s: %v.", name, want.FriendlyName(), err))
		return cty.NilVal, false
	}
	if !cv.IsWhollyKnown() {
		a.diags = append(a.diags, errorf(at.Expr.Range().Ptr(), "Unknown value for "+name,
			"%q refers to a variable that has no value; set it with -var, a var file or BOXBUILD_VAR_<name>.", name))
		return cty.NilVal, false
	}
	return cv, true
}

func (a *attrs) str(name string, dst *string) bool {
	v, ok := a.value(name, cty.String)
	if ok {
		v, _ = v.Unmark()
		*dst = v.AsString()
	}
	return ok
}

func (a *attrs) boolean(name string, dst *bool) bool {
	v, ok := a.value(name, cty.Bool)
	if ok {
		v, _ = v.Unmark()
		*dst = v.True()
	}
	return ok
}

// integer reads a whole number within [min, max].
func (a *attrs) integer(name string, dst *int, min, max int) bool {
	v, ok := a.value(name, cty.Number)
	if !ok {
		return false
	}
	v, _ = v.Unmark()
	bf := v.AsBigFloat()
	i, acc := bf.Int64()
	if acc != big.Exact || i < int64(min) || i > int64(max) {
		a.diags = append(a.diags, errorf(a.rng(name).Ptr(), "Invalid "+name,
			"%q must be a whole number from %d to %d, not %s.", name, min, max, bf.Text('g', 10)))
		return false
	}
	*dst = int(i)
	return true
}

func (a *attrs) strings(name string, dst *[]string) bool {
	v, ok := a.value(name, cty.List(cty.String))
	if !ok {
		return false
	}
	v, _ = v.Unmark()
	out := []string{}
	for _, e := range v.AsValueSlice() {
		if e.IsNull() {
			a.diags = append(a.diags, errorf(a.rng(name).Ptr(), "Invalid "+name, "%q must not contain null.", name))
			return false
		}
		out = append(out, e.AsString())
	}
	*dst = out
	return true
}
