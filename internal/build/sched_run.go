package build

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// scheduler is one Schedule call's state. Only loop's goroutine touches it; running nodes
// report back through done.
type scheduler struct {
	g       *graph
	opts    Options
	done    chan Result
	ready   []int // nodes whose dependencies all succeeded, not started yet
	running int
	memory  int64  // sum of Memory of the running nodes
	stop    Status // OK while scheduling; Skipped (fail-fast) or Cancelled once stopped
}

func (s *scheduler) loop(ctx context.Context) {
	for i := range s.g.nodes {
		if s.g.pending[i] == 0 {
			s.ready = append(s.ready, i)
		}
	}
	ctxDone := ctx.Done()
	for {
		if s.stop == OK {
			s.startReady(ctx)
		}
		if s.running == 0 {
			break // nothing runs and nothing more can start
		}
		select {
		case r := <-s.done:
			s.running--
			s.memory -= s.g.nodes[s.g.index[r.ID]].Memory
			if r.Status == Failed && ctx.Err() != nil {
				r.Status = Cancelled // it failed because it was told to stop
			}
			s.finish(s.g.index[r.ID], r)
		case <-ctxDone:
			ctxDone = nil
			s.stop = Cancelled
		}
	}
	// What never started ends as skipped or cancelled.
	why := s.stop
	if why == OK { // every node finished or failed through a dependency
		return
	}
	for i := range s.g.nodes {
		if !s.g.finished[i] {
			s.finish(i, Result{ID: s.g.nodes[i].ID, Status: why, Err: stopReason(why, ctx)})
		}
	}
}

func stopReason(why Status, ctx context.Context) error {
	if why == Cancelled {
		return fmt.Errorf("not started: %w", context.Cause(ctx))
	}
	return fmt.Errorf("not started: another build failed and --fail-fast is set")
}

// startReady starts ready nodes, highest priority first, while workers and memory allow.
func (s *scheduler) startReady(ctx context.Context) {
	slices.SortStableFunc(s.ready, func(a, b int) int {
		return -cmpDuration(s.g.priority[a], s.g.priority[b])
	})
	budget := s.opts.MemoryBudget
	for k := 0; k < len(s.ready) && s.running < s.opts.Workers; {
		i := s.ready[k]
		mem := s.g.nodes[i].Memory
		fits := budget == 0 || s.memory+mem <= budget
		if !fits && mem > budget && k == 0 {
			if s.running > 0 {
				// An oversized node heads the queue: start nothing else, so the running
				// ones drain and it gets the machine to itself.
				return
			}
			fits = true
		}
		if !fits {
			k++ // a smaller node further down may still fit
			continue
		}
		s.ready = slices.Delete(s.ready, k, k+1)
		s.running++
		s.memory += mem
		s.start(ctx, i)
	}
}

func cmpDuration(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// start runs node i on its own goroutine and reports its result on s.done.
func (s *scheduler) start(ctx context.Context, i int) {
	n := s.g.nodes[i]
	if s.opts.OnStart != nil {
		s.opts.OnStart(n.ID)
	}
	go func() {
		r := Result{ID: n.ID, Start: time.Now()}
		r.Err = runNode(ctx, n)
		r.Duration = time.Since(r.Start)
		if r.Err != nil {
			r.Status = Failed
		}
		s.done <- r
	}()
}

// runNode calls n.Run, turning a panic into the node's error rather than the program's end.
func runNode(ctx context.Context, n Node) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return n.Run(ctx)
}

// finish records node i's result, releases its dependents when it succeeded and fails
// them, transitively, when it did not.
func (s *scheduler) finish(i int, r Result) {
	s.g.results[i] = r
	s.g.finished[i] = true
	if s.opts.OnFinish != nil {
		s.opts.OnFinish(r)
	}
	if r.Status == Failed && s.opts.FailFast && s.stop == OK {
		s.stop = Skipped
	}
	for _, d := range s.g.dependents[i] {
		if s.g.finished[d] {
			continue
		}
		switch r.Status {
		case OK:
			if s.g.pending[d]--; s.g.pending[d] == 0 {
				s.ready = append(s.ready, d)
			}
		case Failed:
			s.finish(d, Result{ID: s.g.nodes[d].ID, Status: Failed,
				Err: &DependencyError{Dep: r.ID}})
		}
	}
}
