// Package build runs boxbuild's builds. This file holds its scheduler: a dependency-counting
// scheduler in the manner of cmd/go's action graph, with N workers and a memory budget, so
// a base box builds once and its children start the moment it is done, while the VMs that
// run at the same time fit the host's memory.
package build

import (
	"context"
	"fmt"
	"time"
)

// Node is one unit of work: a build of one box.
type Node struct {
	ID     string
	Deps   []string // IDs that must finish successfully first
	Memory int64    // what it holds while it runs (MiB of guest RAM); 0 for nothing
	// Estimate is how long it is expected to run; it only orders the ready queue (the
	// node heading the longest remaining chain goes first). Zero counts as one unit.
	Estimate time.Duration
	Run      func(ctx context.Context) error
}

// Status is how a node ended.
type Status int

const (
	OK        Status = iota // ran and succeeded
	Failed                  // ran and failed, or a dependency failed
	Skipped                 // not started: --fail-fast after another node failed
	Cancelled               // not started, or stopped, because the context was cancelled
)

func (s Status) String() string {
	return [...]string{"ok", "failed", "skipped", "cancelled"}[s]
}

// Result is what became of one node.
type Result struct {
	ID       string
	Status   Status
	Err      error
	Start    time.Time // zero when it never ran
	Duration time.Duration
}

// Options tune a Schedule run.
type Options struct {
	Workers int // nodes running at once; at least 1
	// MemoryBudget caps the sum of Memory of the nodes running at once; 0 means no cap.
	// A node larger than the whole budget still runs, alone.
	MemoryBudget int64
	// FailFast stops starting nodes after the first failure; running ones finish.
	FailFast bool
	OnStart  func(id string) // called from the scheduler as a node starts
	OnFinish func(r Result)  // called from the scheduler as a node's result is known
}

// DependencyError is the error of a node that did not run because a dependency failed.
type DependencyError struct{ Dep string }

func (e *DependencyError) Error() string { return fmt.Sprintf("dependency %s failed", e.Dep) }

// Schedule runs the nodes, each after its dependencies, and returns their results in the
// order of nodes. It returns an error without running anything when the graph is invalid
// (duplicate or unknown IDs, a cycle). When ctx is cancelled it starts nothing more and
// returns after the running nodes have returned.
func Schedule(ctx context.Context, nodes []Node, opts Options) ([]Result, error) {
	g, err := newGraph(nodes)
	if err != nil {
		return nil, err
	}
	if opts.Workers < 1 {
		return nil, fmt.Errorf("schedule: %d workers; need at least 1", opts.Workers)
	}
	s := &scheduler{g: g, opts: opts, done: make(chan Result)}
	s.loop(ctx)
	return s.g.results, nil
}
