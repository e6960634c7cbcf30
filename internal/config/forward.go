package config

import "github.com/hashicorp/hcl/v2"

// decodeForward reads a `forward "<name>" { guest, host, protocol }` block; others are the
// forwards already in the same box or course, to catch clashing names and host ports.
func (l *loader) decodeForward(b *hcl.Block, others []*Forward) (*Forward, hcl.Diagnostics) {
	content, diags := b.Body.Content(forwardSchema)
	f := &Forward{Name: b.Labels[0], Protocol: "tcp", Range: b.LabelRanges[0]}
	a := l.attrs(content.Attributes)
	a.integer("guest", &f.Guest, 1, 65535)
	a.integer("host", &f.Host, 1, 65535)
	if a.str("protocol", &f.Protocol) {
		if d := oneOf("protocol", f.Protocol, []string{"tcp", "udp"}, a.rng("protocol")); d != nil {
			a.diags = append(a.diags, d)
		}
	}
	diags = append(diags, a.diags...)
	if !hclIdent(f.Name) {
		diags = append(diags, errorf(b.LabelRanges[0].Ptr(), "Invalid forward name",
			"%q must be letters, digits and underscores; it names the port in generated Vagrantfiles.", f.Name))
	}
	for _, o := range others {
		switch {
		case o.Name == f.Name:
			diags = append(diags, errorf(b.LabelRanges[0].Ptr(), "Duplicate forward",
				"A forward named %q is already defined at %s.", f.Name, where(o.Range)))
		case f.Host != 0 && o.Host == f.Host && o.Protocol == f.Protocol:
			diags = append(diags, errorf(a.rng("host").Ptr(), "Host port used twice",
				"Host port %d/%s is already forwarded by %q at %s.", f.Host, f.Protocol, o.Name, where(o.Range)))
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return f, diags
}
