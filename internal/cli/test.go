package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild/internal/build"
	"github.com/boxbuild/boxbuild/internal/plan"
)

func init() { register(newTestCmd) }

type testOptions struct {
	vars      varFlags
	providers []string
}

func newTestCmd(g *Globals) *cobra.Command {
	o := &testOptions{}
	cmd := &cobra.Command{
		Use:   "test BOX…",
		Short: "Boot built boxes and run their tests",
		Long: "Boots a copy of each built box's disk with QEMU and runs its test blocks (tests/…) inside,\n" +
			"the way a student's VM would start. The box must be built with its current inputs.",
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runTest(cmd.Context(), g, o, args) },
		ValidArgsFunction: func(_ *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
			return g.boxNames(&o.vars), cobra.ShellCompDirectiveNoFileComp
		},
	}
	o.vars.register(cmd)
	cmd.Flags().StringSliceVar(&o.providers, "provider", nil, "only this `provider` (repeatable)")
	return cmd
}

func runTest(ctx context.Context, g *Globals, o *testOptions, boxes []string) error {
	ws, p, pk, err := g.makePlan(ctx, &o.vars, plan.Options{Boxes: boxes, Providers: o.providers})
	if err != nil {
		return err
	}
	progress := build.NewProgress(g.Stderr, false, g.Verbose, g.Quiet)
	if g.StderrTTY && !g.Quiet {
		progress.EnableLive(stderrWidth)
		defer progress.Close()
	}
	failed := 0
	for _, b := range p.Builds {
		if !b.Selected {
			continue
		}
		start := time.Now()
		progress.Start(b.ID)
		err := build.Test(ctx, ws, p, b, pk, progress)
		progress.Done(b.ID) // the outcome goes to stdout below, after the live line is gone
		took := time.Since(start).Round(time.Second)
		switch {
		case errors.Is(err, build.ErrNoTests):
			fmt.Fprintf(g.Stdout, "%s %s skipped: no tests\n", b.ID, b.Version)
		case ctx.Err() != nil:
			return fmt.Errorf("tests interrupted after %s: %w", took, context.Canceled)
		case err != nil:
			failed++
			fmt.Fprintf(g.Stdout, "%s %s FAILED after %s\n", b.ID, b.Version, took)
			fmt.Fprintf(g.Stderr, "boxbuild: %v\n", err)
		default:
			fmt.Fprintf(g.Stdout, "%s %s passed %d tests in %s\n", b.ID, b.Version, len(b.Box.Tests), took)
		}
	}
	if failed > 0 {
		return errReported
	}
	return nil
}
