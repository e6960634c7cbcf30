package cli

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"

	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/packer"
	"github.com/boxbuild/boxbuild/internal/render"
)

// buildableDiags reports each box × provider that no Packer builder can make (a bootstrap
// box for VirtualBox, say), so validate catches it instead of the build. It judges by the
// installed Packer when there is one, else by the oldest Packer boxbuild supports (1.6).
func buildableDiags(ctx context.Context, ws *config.Workspace) hcl.Diagnostics {
	pv := version.Must(version.NewVersion("1.6.6"))
	if pk, err := packer.Find(); err == nil {
		if v, err := pk.CachedVersion(ctx, filepath.Join(ws.StateDir, "packer-version.json")); err == nil {
			pv = v
		}
	}
	variant, err := render.ChooseVariant(pv)
	if err != nil {
		return nil
	}
	var diags hcl.Diagnostics
	for _, b := range ws.Boxes {
		kind, format := "from", ""
		if b.Source != nil {
			kind, format = b.Source.Kind, b.Source.Format
		}
		for _, p := range b.Providers {
			if err := render.Supported(p, kind, format, variant); err != nil {
				subject := b.DeclRange
				if b.ProvidersRange.Filename != "" {
					subject = b.ProvidersRange
				}
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Provider cannot build this box",
					Detail:  strings.TrimSuffix(err.Error(), ".") + ". Remove the provider from this box, or start it from another source.",
					Subject: subject.Ptr()})
			}
		}
	}
	return diags
}
