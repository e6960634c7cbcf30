package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild/internal/build"
	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/packer"
	"github.com/boxbuild/boxbuild/internal/plan"
	"github.com/boxbuild/boxbuild/internal/render"
)

func init() {
	register(func(g *Globals) *cobra.Command { return newBuildCmd(g, false) })
	register(func(g *Globals) *cobra.Command { return newBuildCmd(g, true) })
}

type buildOptions struct {
	vars      varFlags
	all       bool
	parallel  int
	providers []string
	arch      []string
	force     bool
	dryRun    bool
	failFast  bool
	json      bool
}

func newBuildCmd(g *Globals, all bool) *cobra.Command {
	o := &buildOptions{all: all}
	cmd := &cobra.Command{
		Use:   "build BOX…",
		Short: "Build boxes and the boxes they derive from",
		Long: "Builds the named boxes with Packer, parents first, in parallel where they do not depend on\n" +
			"each other. A build whose inputs did not change since it last succeeded is not run again\n" +
			"(see 'boxbuild plan'). Each build gets the next patch version of its series.",
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runBuild(cmd.Context(), g, o, args) },
		ValidArgsFunction: func(_ *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
			return g.boxNames(&o.vars), cobra.ShellCompDirectiveNoFileComp
		},
	}
	if all {
		cmd.Use, cmd.Short, cmd.Args, cmd.ValidArgsFunction = "all", "Build every box of the workspace (what CI runs)", exactArgs(0), nil
	}
	o.vars.register(cmd)
	f := cmd.Flags()
	f.IntVarP(&o.parallel, "parallel", "p", defaultParallel(), "run at most `N` builds at once")
	f.StringSliceVar(&o.providers, "provider", nil, "only this `provider` (repeatable)")
	f.StringSliceVar(&o.arch, "arch", nil, "only this `arch` (repeatable)")
	f.BoolVar(&o.force, "force", false, "rebuild the selected boxes even when their inputs did not change")
	f.BoolVarP(&o.dryRun, "dry-run", "n", false, "print the packer commands in order and run nothing")
	f.BoolVar(&o.failFast, "fail-fast", false, "start no new build after the first failure")
	f.BoolVar(&o.json, "json", false, "print progress events and results as JSON lines on stdout")
	return cmd
}

// defaultParallel: a TCG or KVM guest keeps about two host cores busy.
func defaultParallel() int { return max(1, runtime.NumCPU()/2) }

func runBuild(ctx context.Context, g *Globals, o *buildOptions, boxes []string) error {
	if o.parallel < 1 {
		return usageErrorf("--parallel must be at least 1")
	}
	ws, p, pk, err := g.makePlan(ctx, &o.vars, plan.Options{Boxes: boxes, Providers: o.providers, Arch: o.arch, Force: o.force})
	if err != nil {
		return err
	}
	if o.dryRun {
		return printDryRun(g, ws, p)
	}
	started := time.Now()
	progress := build.NewProgress(g.Stderr, false, g.Verbose, g.Quiet)
	if o.json {
		progress = build.NewProgress(g.Stdout, true, g.Verbose, false)
	} else if g.StderrTTY && !g.Quiet {
		progress.EnableLive(stderrWidth)
		defer progress.Close()
	}
	for _, b := range p.Builds {
		if !b.NeedsBuild() && !g.Quiet && !o.json {
			fmt.Fprintf(g.Stderr, "%s | cached: %s (unchanged since it was built)\n", b.ID, b.Version)
		}
	}
	ex := build.NewExecutor(ws, p, build.ExecOptions{
		Workers: o.parallel, MemoryBudget: memoryBudget(), FailFast: o.failFast, Packer: pk,
		ImageCache: filepath.Join(cacheDir(), "images"), Downloads: filepath.Join(cacheDir(), "downloads"), Progress: progress,
	})
	results, err := ex.Run(ctx)
	progress.Close() // the summary below goes after the live block, not into it
	if err != nil {
		return err
	}
	failed := 0
	for _, r := range results {
		if r.Status != build.OK {
			failed++
		}
	}
	elapsed := time.Since(started).Round(time.Second)
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("build interrupted after %s: %w", elapsed, context.Canceled)
	case failed > 0:
		fmt.Fprintf(g.Stderr, "boxbuild: %d of %d builds failed after %s\n", failed, len(results), elapsed)
		return errReported
	}
	if !g.Quiet && !o.json {
		fmt.Fprintf(g.Stderr, "built %d, cached %d, in %s\n", len(results), len(p.Builds)-len(results), elapsed)
	}
	for _, b := range p.Builds {
		if !o.json && b.Cached != nil {
			fmt.Fprintf(g.Stdout, "%s %s %s\n", b.ID, b.Version, b.Cached.Artifact.File)
		}
	}
	return nil
}

// makePlan loads the workspace, finds packer and plans the selected builds.
func (g *Globals) makePlan(ctx context.Context, v *varFlags, opts plan.Options) (*config.Workspace, *plan.Plan, *packer.Packer, error) {
	ws, err := g.loadWorkspace(v)
	if err != nil {
		return nil, nil, nil, err
	}
	pk, err := packer.Find()
	if err != nil {
		return nil, nil, nil, err
	}
	pv, err := pk.CachedVersion(ctx, filepath.Join(ws.StateDir, "packer-version.json"))
	if err != nil {
		return nil, nil, nil, err
	}
	opts.Packer = pv
	opts.RenderDir = filepath.Join(ws.StateDir, "render")
	opts.Debug = g.Stderr
	opts.Published = publishedVersions(ws)
	p, err := plan.Make(ws, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	return ws, p, pk, nil
}

// publishedVersions reads the default local catalog, so a new build never takes a version
// number that is already published.
func publishedVersions(ws *config.Workspace) func(string) []string {
	c := ws.Catalog("")
	if c == nil || c.Kind != "local" {
		return nil
	}
	store := &catalog.Store{Dir: c.Dir, BaseURL: c.URL} // read only: Open would create folders
	return func(box string) []string {
		r, err := store.Load(ws.Org, box)
		if err != nil {
			return nil
		}
		var vs []string
		for _, v := range r.Versions {
			vs = append(vs, v.Version)
		}
		return vs
	}
}

func printDryRun(g *Globals, ws *config.Workspace, p *plan.Plan) error {
	for _, b := range p.Builds {
		if !b.NeedsBuild() {
			fmt.Fprintf(g.Stdout, "# %s: cached as %s\n", b.ID, b.Version)
			continue
		}
		rv := render.RunVars{OutputDir: "<out>", BoxOutput: "<out>.box", BoxVersion: b.Version,
			BaseImage: "<base image>", BaseImageChecksum: "<checksum>", BaseImageSize: "<size>"}
		args, _, err := b.Render.PackerArgs(rv)
		if err != nil {
			return fmt.Errorf("%s: %w", b.ID, err)
		}
		fmt.Fprintf(g.Stdout, "# %s %s: %s\n(cd %s && packer build -machine-readable -force %s %s)\n",
			b.ID, b.Version, strings.Join(b.Reasons, "; "), b.Render.Dir, strings.Join(quoteArgs(args), " "), render.TemplateFile)
	}
	return nil
}

func quoteArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " '\"$<>") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return out
}

// memoryBudget is what guests may use at once: the host's available memory less 1 GiB for
// boxbuild, packer and the page cache.
func memoryBudget() int64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(line, "MemAvailable: %d kB", &kb); err == nil {
			return max(kb/1024-1024, 512)
		}
	}
	return 0
}

// cacheDir keeps bootstrap base images and downloads across workspaces: $BOXBUILD_CACHE,
// else the user's cache folder.
func cacheDir() string {
	if d := os.Getenv("BOXBUILD_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "boxbuild-cache")
	}
	return filepath.Join(d, "boxbuild")
}
