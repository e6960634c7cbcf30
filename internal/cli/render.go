package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/hashicorp/go-version"
	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild/internal/packer"
	"github.com/boxbuild/boxbuild/internal/render"
)

func init() { register(newRenderCmd) }

type renderOptions struct {
	vars          varFlags
	out           string
	providers     []string
	arch          []string
	packerVersion string
}

func newRenderCmd(g *Globals) *cobra.Command {
	o := &renderOptions{}
	cmd := &cobra.Command{
		Use:   "render [BOX…]",
		Short: "Write the Packer templates, scripts and install files of boxes, without building",
		Long: "Writes one folder per box × provider × arch, <out>/<box>/<provider>-<arch>/, holding\n" +
			"box.pkr.hcl, its scripts/ and http/ files, and prints each folder. The template fits the\n" +
			"installed Packer (`packer version`); -v says which variant was chosen and why.\n" +
			"Sensitive variables are never written: builds pass them as PKR_VAR_<name>.",
		RunE: func(cmd *cobra.Command, args []string) error { return runRender(cmd.Context(), g, o, args) },
		ValidArgsFunction: func(_ *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
			return g.boxNames(&o.vars), cobra.ShellCompDirectiveNoFileComp
		},
	}
	o.vars.register(cmd)
	cmd.Flags().StringVarP(&o.out, "output", "o", "", "write into `DIR` (default: <state dir>/render)")
	cmd.Flags().StringSliceVar(&o.providers, "provider", nil, "only this `provider` (repeatable)")
	cmd.Flags().StringSliceVar(&o.arch, "arch", nil, "only this `arch` (repeatable)")
	cmd.Flags().StringVar(&o.packerVersion, "packer-version", "",
		"render for this Packer `version` instead of the installed one (e.g. 1.11.2 for another machine)")
	return cmd
}

func runRender(ctx context.Context, g *Globals, o *renderOptions, boxes []string) error {
	pv, err := packerVersion(ctx, o.packerVersion)
	if err != nil {
		return err
	}
	ws, err := g.loadWorkspace(&o.vars)
	if err != nil {
		return err
	}
	out := o.out
	if out == "" {
		out = filepath.Join(ws.StateDir, "render")
	}
	results, err := render.Render(ws, render.Options{
		OutDir: out, Packer: pv, Boxes: boxes, Providers: o.providers, Arch: o.arch,
	})
	if err != nil {
		return err
	}
	if len(results) == 0 {
		return fmt.Errorf("nothing to render: no box has provider %v and arch %v", o.providers, o.arch)
	}
	if g.Verbose {
		fmt.Fprintf(g.Stderr, "variant %s: %s\n", results[0].Variant.Name, results[0].Variant.Reason)
	}
	for _, r := range results {
		if g.Verbose {
			fmt.Fprintf(g.Stderr, "%s %s-%s: builder %s from %s, box provider %s\n",
				r.Box, r.Provider, r.Arch, r.Builder, r.Source, r.BoxProvider)
		}
		fmt.Fprintln(g.Stdout, r.Dir)
	}
	return nil
}

// packerVersion is the --packer-version flag, else the installed Packer's version.
func packerVersion(ctx context.Context, flag string) (*version.Version, error) {
	if flag != "" {
		v, err := version.NewVersion(flag)
		if err != nil {
			return nil, usageErrorf("--packer-version %q: %v", flag, err)
		}
		return v, nil
	}
	p, err := packer.Find()
	if err != nil {
		return nil, fmt.Errorf("%w (or name the target with --packer-version)", err)
	}
	return p.Version(ctx)
}

// boxNames lists the workspace's boxes for shell completion; a workspace that does not load
// completes nothing rather than printing diagnostics into the shell.
func (g *Globals) boxNames(v *varFlags) []string {
	ws, _, diags, err := g.loadWorkspaceDiags(v)
	if err != nil || diags.HasErrors() {
		return nil
	}
	names := make([]string, 0, len(ws.Boxes))
	for _, b := range ws.Boxes {
		names = append(names, b.Name)
	}
	return names
}
