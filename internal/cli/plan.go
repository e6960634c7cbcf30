package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild/internal/plan"
)

func init() { register(newPlanCmd) }

type planOptions struct {
	vars      varFlags
	providers []string
	arch      []string
	force     bool
	json      bool
}

func newPlanCmd(g *Globals) *cobra.Command {
	o := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan [BOX…]",
		Short: "Show what would build and why",
		Long: "Renders the selected boxes (default: all) and compares each build's inputs with the last\n" +
			"successful build: unchanged builds are cached, the others say what changed.\n" +
			"BOXBUILD_DEBUG_HASH=1 prints every hashed input line.",
		RunE: func(cmd *cobra.Command, args []string) error { return runPlan(cmd.Context(), g, o, args) },
		ValidArgsFunction: func(_ *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
			return g.boxNames(&o.vars), cobra.ShellCompDirectiveNoFileComp
		},
	}
	o.vars.register(cmd)
	cmd.Flags().StringSliceVar(&o.providers, "provider", nil, "only this `provider` (repeatable)")
	cmd.Flags().StringSliceVar(&o.arch, "arch", nil, "only this `arch` (repeatable)")
	cmd.Flags().BoolVar(&o.force, "force", false, "plan as if the selected boxes were forced")
	cmd.Flags().BoolVar(&o.json, "json", false, "print the plan as JSON (a CI build matrix)")
	return cmd
}

type planEntry struct {
	ID       string `json:"id"`
	Box      string `json:"box"`
	Provider string `json:"provider"`
	Arch     string `json:"arch"`
	Version  string `json:"version"`
	Parent   string `json:"parent,omitempty"`
	// Root is the box at the top of this one's lineage (itself when it derives from nothing):
	// CI builds a family in one job, so a child never rebuilds its parent on another runner.
	Root     string   `json:"root"`
	Builder  string   `json:"builder"`
	Action   string   `json:"action"` // "build" or "cached"
	Reasons  []string `json:"reasons"`
	ActionID string   `json:"action_id"`
	Selected bool     `json:"selected"`
}

func runPlan(ctx context.Context, g *Globals, o *planOptions, boxes []string) error {
	_, p, _, err := g.makePlan(ctx, &o.vars, plan.Options{Boxes: boxes, Providers: o.providers, Arch: o.arch, Force: o.force})
	if err != nil {
		return err
	}
	entries := []planEntry{}
	for _, b := range p.Builds {
		e := planEntry{ID: b.ID, Box: b.Box.Name, Provider: b.Provider, Arch: b.Arch, Version: b.Version,
			Builder: b.Render.Builder, Action: "cached", Reasons: []string{}, ActionID: b.ActionID, Selected: b.Selected}
		if b.Parent != nil {
			e.Parent = b.Parent.ID
		}
		root := b
		for root.Parent != nil {
			root = root.Parent
		}
		e.Root = root.Box.Name
		if b.NeedsBuild() {
			e.Action, e.Reasons = "build", b.Reasons
		}
		entries = append(entries, e)
	}
	if o.json {
		return writeJSON(g.Stdout, entries)
	}
	tw := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BUILD\tVERSION\tACTION\tWHY")
	for _, e := range entries {
		why := strings.Join(e.Reasons, "; ")
		if e.Action == "cached" {
			why = "inputs unchanged since it was built"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", e.ID, e.Version, e.Action, why)
	}
	return tw.Flush()
}
