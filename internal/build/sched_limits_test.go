package build

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// gated makes nodes that block until the test releases them, and learns of each start
// through OnStart, which the scheduler calls in order from its own goroutine: a test then
// knows exactly what runs at once without sleeping.
type gated struct {
	t       *testing.T
	budget  int64
	started chan string
	done    chan string // IDs as the scheduler records their results
	release map[string]chan error
	mu      sync.Mutex
	running map[string]int64 // ID → memory, of the nodes inside Run now
	maxRun  int
	maxMem  int64           // the most memory in use at once, oversized nodes left out
	alone   map[string]bool // nodes that had the machine to themselves
}

func newGated(t *testing.T, budget int64) *gated {
	return &gated{t: t, budget: budget, started: make(chan string, 100), done: make(chan string, 100),
		release: map[string]chan error{}, running: map[string]int64{}, alone: map[string]bool{}}
}

func (g *gated) node(id string, mem int64, deps ...string) Node {
	rel := make(chan error, 1)
	g.release[id] = rel
	return Node{ID: id, Deps: deps, Memory: mem, Run: func(ctx context.Context) error {
		g.mu.Lock()
		g.running[id] = mem
		var sum int64
		for _, m := range g.running {
			sum += m
		}
		g.maxRun = max(g.maxRun, len(g.running))
		if g.budget == 0 || mem <= g.budget {
			g.maxMem = max(g.maxMem, sum)
		}
		if len(g.running) == 1 {
			g.alone[id] = true
		}
		g.mu.Unlock()
		var err error
		select {
		case err = <-rel:
		case <-ctx.Done():
			err = ctx.Err()
		}
		g.mu.Lock()
		delete(g.running, id)
		g.mu.Unlock()
		return err
	}}
}

// schedule runs Schedule in the background with OnStart reporting to g.started.
func (g *gated) schedule(ctx context.Context, nodes []Node, o Options) <-chan []Result {
	o.OnStart = func(id string) { g.started <- id }
	o.OnFinish = func(r Result) { g.done <- r.ID }
	out := make(chan []Result, 1)
	go func() {
		rs, err := Schedule(ctx, nodes, o)
		if err != nil {
			g.t.Error(err)
		}
		out <- rs
	}()
	return out
}

// expectStarts waits for the next starts and checks they are the wanted nodes, in order.
func (g *gated) expectStarts(want ...string) {
	g.t.Helper()
	for _, w := range want {
		select {
		case id := <-g.started:
			if id != w {
				g.t.Fatalf("%s started, want %s", id, w)
			}
		case <-time.After(hangGuard):
			g.t.Fatalf("%s never started: the scheduler is stuck", w)
		}
	}
}

// finished waits until the scheduler has recorded id's result.
func (g *gated) finished(id string) {
	g.t.Helper()
	for {
		select {
		case got := <-g.done:
			if got == id {
				return
			}
		case <-time.After(hangGuard):
			g.t.Fatalf("%s never finished: the scheduler is stuck", id)
		}
	}
}

// step releases one running node with err; the starts it causes are checked by the next
// expectStarts. The scheduler handles completions one at a time, so a wrong start caused
// by this release shows up before any start caused by a later one.
func (g *gated) step(id string, err error) { g.release[id] <- err }

func wait(t *testing.T, c <-chan []Result) []Result {
	t.Helper()
	select {
	case rs := <-c:
		return rs
	case <-time.After(hangGuard):
		t.Fatal("Schedule did not return")
		return nil
	}
}

func TestScheduleParallelismLimit(t *testing.T) {
	g := newGated(t, 0)
	ids := []string{"n0", "n1", "n2", "n3", "n4", "n5"}
	var nodes []Node
	for _, id := range ids {
		nodes = append(nodes, g.node(id, 0))
	}
	res := g.schedule(t.Context(), nodes, Options{Workers: 2})
	g.expectStarts("n0", "n1") // both before any is released: the limit is used
	for i, id := range ids {
		g.step(id, nil)
		if i+2 < len(ids) {
			g.expectStarts(ids[i+2]) // each freed worker takes the next node
		}
	}
	rs := wait(t, res)
	if g.maxRun != 2 {
		t.Errorf("at most %d nodes ran at once, want 2", g.maxRun)
	}
	want := map[string]string{"n0": "ok", "n1": "ok", "n2": "ok", "n3": "ok", "n4": "ok", "n5": "ok"}
	if diff := cmp.Diff(want, statuses(rs)); diff != "" {
		t.Errorf("results mismatch (-want +got):\n%s", diff)
	}
}

func TestScheduleMemoryBudget(t *testing.T) {
	g := newGated(t, 1000)
	nodes := []Node{g.node("a", 600), g.node("b", 600), g.node("c", 300), g.node("big", 1500), g.node("d", 400)}
	res := g.schedule(t.Context(), nodes, Options{Workers: 4, MemoryBudget: 1000})
	g.expectStarts("a", "c") // b does not fit beside a; c does
	g.step("a", nil)
	g.expectStarts("b") // 300 + 600 fits
	g.step("c", nil)    // big heads the queue: nothing else may start now
	g.finished("c")
	g.step("b", nil)
	g.expectStarts("big") // alone, although larger than the budget
	g.step("big", nil)
	g.expectStarts("d")
	g.step("d", nil)
	wait(t, res)
	if g.maxMem > 1000 {
		t.Errorf("%d MiB ran at once, over the budget of 1000", g.maxMem)
	}
	if !g.alone["big"] {
		t.Errorf("the node larger than the budget ran beside others")
	}
}

func TestScheduleFailFast(t *testing.T) {
	for _, failFast := range []bool{false, true} {
		t.Run(map[bool]string{false: "keep going", true: "fail fast"}[failFast], func(t *testing.T) {
			g := newGated(t, 0)
			nodes := []Node{g.node("a", 0), g.node("b", 0), g.node("c", 0), g.node("e", 0, "a")}
			res := g.schedule(t.Context(), nodes, Options{Workers: 2, FailFast: failFast})
			g.expectStarts("a", "b") // a first: it heads the longer chain
			g.step("a", errors.New("boom"))
			g.finished("a")
			if !failFast {
				g.expectStarts("c")
				g.step("c", nil)
			}
			g.step("b", nil) // the running node finishes either way
			want := map[string]string{"a": "failed: boom", "b": "ok", "c": "ok", "e": "failed: dependency a failed"}
			if failFast {
				want["c"] = "skipped: not started: another build failed and --fail-fast is set"
			}
			if diff := cmp.Diff(want, statuses(wait(t, res))); diff != "" {
				t.Errorf("results mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScheduleCancel(t *testing.T) {
	g := newGated(t, 0)
	ctx, cancel := context.WithCancel(t.Context())
	nodes := []Node{g.node("a", 0), g.node("b", 0), g.node("c", 0, "a")}
	res := g.schedule(ctx, nodes, Options{Workers: 1})
	g.expectStarts("a")
	cancel()
	rs := wait(t, res)
	g.mu.Lock()
	stillRunning := len(g.running)
	g.mu.Unlock()
	if stillRunning != 0 {
		t.Errorf("Schedule returned while %d nodes were still running", stillRunning)
	}
	want := map[string]string{
		"a": "cancelled: context canceled",
		"b": "cancelled: not started: context canceled",
		"c": "cancelled: not started: context canceled",
	}
	if diff := cmp.Diff(want, statuses(rs)); diff != "" {
		t.Errorf("results mismatch (-want +got):\n%s", diff)
	}
}

func TestSchedulePriorityFollowsEstimates(t *testing.T) {
	g := newGated(t, 0)
	short := g.node("short", 0)
	long := g.node("long", 0)
	long.Estimate = 10 * time.Minute
	res := g.schedule(t.Context(), []Node{short, long}, Options{Workers: 1})
	g.expectStarts("long")
	g.step("long", nil)
	g.expectStarts("short")
	g.step("short", nil)
	wait(t, res)
}
