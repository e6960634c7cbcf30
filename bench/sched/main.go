// Command sched measures the build scheduler's makespan against the critical-path lower
// bound. It generates a random DAG of builds that use Packer's null builder with a timed
// shell-local step (sleep), runs them through internal/build's scheduler with the real
// packer, and prints the makespan, the lower bound and their ratio.
//
// The lower bound is max(longest dependency chain, total work / workers), where each
// node's duration is its sleep plus the time a zero-sleep packer build takes on this
// machine (measured first): packer's own start-up is part of every build.
//
//	go run ./bench/sched -n 16 -workers 4 -seed 1
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"time"

	"github.com/boxbuild/boxbuild/internal/build"
	"github.com/boxbuild/boxbuild/internal/packer"
)

func main() {
	n := flag.Int("n", 16, "builds in the generated DAG")
	workers := flag.Int("workers", 4, "scheduler workers (-p)")
	seed := flag.Uint64("seed", 1, "random seed of the DAG")
	minSleep := flag.Duration("min", 2*time.Second, "shortest build step")
	maxSleep := flag.Duration("max", 8*time.Second, "longest build step")
	edge := flag.Float64("edge", 0.25, "chance that a build depends on a given earlier one")
	calib := flag.Int("calibrate", 5, "zero-sleep packer builds to measure start-up")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *n, *workers, *seed, *minSleep, *maxSleep, *edge, *calib); err != nil {
		fmt.Fprintln(os.Stderr, "sched:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, n, workers int, seed uint64, minSleep, maxSleep time.Duration, edge float64, calib int) error {
	p, err := packer.Find()
	if err != nil {
		return err
	}
	v, err := p.Version(ctx)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "boxbuild-bench-sched-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	overhead, err := calibrate(ctx, p, work, calib)
	if err != nil {
		return err
	}
	dag := generate(n, seed, minSleep, maxSleep, edge)
	nodes, err := dag.nodes(p, work, overhead)
	if err != nil {
		return err
	}
	start := time.Now()
	results, err := build.Schedule(ctx, nodes, build.Options{Workers: workers})
	if err != nil {
		return err
	}
	makespan := time.Since(start)
	for _, r := range results {
		if r.Status != build.OK {
			return fmt.Errorf("build %s: %s: %v", r.ID, r.Status, r.Err)
		}
	}
	cp, total := dag.bounds(func(i int) time.Duration { return dag.sleep[i] + overhead })
	bound := max(cp, total/time.Duration(workers))
	// The same bound from the durations the builds really took in this run: what is left
	// between it and the makespan is the scheduler's own doing, not packer's start-up
	// growing on a loaded machine.
	cpRun, totalRun := dag.bounds(func(i int) time.Duration { return results[i].Duration })
	boundRun := max(cpRun, totalRun/time.Duration(workers))
	fmt.Printf("packer %s, %d builds, %d edges, %d workers, seed %d\n", v, n, dag.edges(), workers, seed)
	fmt.Printf("zero-sleep packer build: %s (median of %d)\n", overhead.Round(time.Millisecond), calib)
	fmt.Printf("critical path:  %s\n", cp.Round(time.Millisecond))
	fmt.Printf("work/workers:   %s\n", (total / time.Duration(workers)).Round(time.Millisecond))
	fmt.Printf("lower bound:    %s\n", bound.Round(time.Millisecond))
	fmt.Printf("makespan:       %s\n", makespan.Round(time.Millisecond))
	fmt.Printf("ratio:          %.3f (target <= 1.05)\n", float64(makespan)/float64(bound))
	fmt.Printf("mean packer overhead per build in this run: %s\n",
		((totalRun-total)/time.Duration(n) + overhead).Round(time.Millisecond))
	fmt.Printf("bound from measured durations: %s, ratio %.3f\n",
		boundRun.Round(time.Millisecond), float64(makespan)/float64(boundRun))
	return nil
}

// calibrate runs zero-sleep builds one after another and returns the median duration.
func calibrate(ctx context.Context, p *packer.Packer, work string, runs int) (time.Duration, error) {
	dir := filepath.Join(work, "calibrate")
	if err := writeTemplate(dir, 0); err != nil {
		return 0, err
	}
	var ds []time.Duration
	for range max(runs, 1) {
		start := time.Now()
		if _, err := p.Build(ctx, packer.BuildOpts{Dir: dir, Template: "build.pkr.hcl"}); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

// writeTemplate writes a null-builder template whose only step sleeps for d.
func writeTemplate(dir string, d time.Duration) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmpl := fmt.Sprintf(`source "null" "n" {
  communicator = "none"
}
build {
  sources = ["source.null.n"]
  provisioner "shell-local" {
    inline = ["sleep %.3f"]
  }
}
`, d.Seconds())
	return os.WriteFile(filepath.Join(dir, "build.pkr.hcl"), []byte(tmpl), 0o644)
}

// dag is a random DAG: node i may depend on any j < i.
type dag struct {
	sleep []time.Duration
	deps  [][]int
}

func generate(n int, seed uint64, minSleep, maxSleep time.Duration, edge float64) *dag {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &dag{sleep: make([]time.Duration, n), deps: make([][]int, n)}
	for i := range n {
		g.sleep[i] = minSleep + time.Duration(r.Int64N(int64(maxSleep-minSleep)+1))
		g.sleep[i] = g.sleep[i].Round(100 * time.Millisecond)
		for j := range i {
			if r.Float64() < edge {
				g.deps[i] = append(g.deps[i], j)
			}
		}
	}
	return g
}

func (g *dag) edges() int {
	e := 0
	for _, d := range g.deps {
		e += len(d)
	}
	return e
}

func id(i int) string { return fmt.Sprintf("b%02d", i) }

// nodes turns the DAG into scheduler nodes, each running a real packer build.
func (g *dag) nodes(p *packer.Packer, work string, overhead time.Duration) ([]build.Node, error) {
	var out []build.Node
	for i, d := range g.sleep {
		dir := filepath.Join(work, id(i))
		if err := writeTemplate(dir, d); err != nil {
			return nil, err
		}
		var deps []string
		for _, j := range g.deps[i] {
			deps = append(deps, id(j))
		}
		out = append(out, build.Node{ID: id(i), Deps: deps, Estimate: d + overhead,
			Run: func(ctx context.Context) error {
				_, err := p.Build(ctx, packer.BuildOpts{Dir: dir, Template: "build.pkr.hcl"})
				return err
			}})
	}
	return out, nil
}

// bounds returns the longest chain and the total work, node i costing cost(i).
func (g *dag) bounds(cost func(i int) time.Duration) (cp, total time.Duration) {
	finish := make([]time.Duration, len(g.sleep)) // nodes are in topological order
	for i := range g.sleep {
		var ready time.Duration
		for _, j := range g.deps[i] {
			ready = max(ready, finish[j])
		}
		finish[i] = ready + cost(i)
		cp = max(cp, finish[i])
		total += cost(i)
	}
	return cp, total
}
