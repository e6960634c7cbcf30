package build

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// hangGuard is how long a test waits on a channel before calling the scheduler stuck. It is
// not a timing assertion: a correct scheduler never gets near it.
const hangGuard = 30 * time.Second

// statuses maps each result's ID to its status and error text, for cmp.Diff.
func statuses(rs []Result) map[string]string {
	m := map[string]string{}
	for _, r := range rs {
		m[r.ID] = r.Status.String()
		if r.Err != nil {
			m[r.ID] += ": " + r.Err.Error()
		}
	}
	return m
}

func ok(context.Context) error { return nil }

func TestScheduleOrder(t *testing.T) {
	// base ← lamp ← student;  base ← pg;  lamp, pg ← full;  other alone.
	deps := map[string][]string{
		"base": nil, "lamp": {"base"}, "pg": {"base"}, "student": {"lamp"},
		"full": {"lamp", "pg"}, "other": nil,
	}
	var mu sync.Mutex
	done := map[string]bool{}
	var violations []string
	var nodes []Node
	for _, id := range []string{"student", "full", "lamp", "pg", "base", "other"} {
		nodes = append(nodes, Node{ID: id, Deps: deps[id], Run: func(context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			for _, d := range deps[id] {
				if !done[d] {
					violations = append(violations, fmt.Sprintf("%s started before %s finished", id, d))
				}
			}
			done[id] = true
			return nil
		}})
	}
	for _, workers := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("%d workers", workers), func(t *testing.T) {
			clear(done)
			violations = nil
			rs, err := Schedule(t.Context(), nodes, Options{Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			if len(violations) > 0 {
				t.Errorf("order violated: %v", violations)
			}
			want := map[string]string{"base": "ok", "lamp": "ok", "pg": "ok", "student": "ok", "full": "ok", "other": "ok"}
			if diff := cmp.Diff(want, statuses(rs)); diff != "" {
				t.Errorf("results mismatch (-want +got):\n%s", diff)
			}
			if rs[0].ID != "student" || rs[4].ID != "base" {
				t.Errorf("results not in the order of the nodes: %v", rs)
			}
		})
	}
}

func TestScheduleInvalidGraph(t *testing.T) {
	tests := []struct {
		name  string
		nodes []Node
		want  string
	}{
		{"duplicate", []Node{{ID: "a", Run: ok}, {ID: "a", Run: ok}}, `node "a" appears twice`},
		{"unknown dep", []Node{{ID: "a", Deps: []string{"zz"}, Run: ok}}, `node "a" depends on unknown "zz"`},
		{"cycle", []Node{{ID: "a", Deps: []string{"c"}, Run: ok}, {ID: "b", Deps: []string{"a"}, Run: ok},
			{ID: "c", Deps: []string{"b"}, Run: ok}, {ID: "d", Run: ok}}, "dependency cycle among a, b, c"},
		{"no run func", []Node{{ID: "a"}}, `node "a" has nothing to run`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Schedule(t.Context(), tt.nodes, Options{Workers: 1})
			if err == nil || err.Error() != "schedule: "+tt.want {
				t.Errorf("Schedule() error = %v, want %q", err, "schedule: "+tt.want)
			}
		})
	}
}

func TestScheduleFailurePropagates(t *testing.T) {
	ran := make(chan string, 10)
	run := func(id string, err error) func(context.Context) error {
		return func(context.Context) error { ran <- id; return err }
	}
	nodes := []Node{
		{ID: "base", Run: run("base", errors.New("packer exited 1"))},
		{ID: "lamp", Deps: []string{"base"}, Run: run("lamp", nil)},
		{ID: "student", Deps: []string{"lamp"}, Run: run("student", nil)},
		{ID: "other", Run: run("other", nil)},
		{ID: "other-child", Deps: []string{"other"}, Run: run("other-child", nil)},
	}
	rs, err := Schedule(t.Context(), nodes, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"base":        "failed: packer exited 1",
		"lamp":        "failed: dependency base failed",
		"student":     "failed: dependency lamp failed",
		"other":       "ok",
		"other-child": "ok",
	}
	if diff := cmp.Diff(want, statuses(rs)); diff != "" {
		t.Errorf("results mismatch (-want +got):\n%s", diff)
	}
	close(ran)
	for id := range ran {
		if id == "lamp" || id == "student" {
			t.Errorf("%s ran although its dependency failed", id)
		}
	}
	var de *DependencyError
	if !errors.As(rs[2].Err, &de) || de.Dep != "lamp" {
		t.Errorf("student's error %v is not a DependencyError on lamp", rs[2].Err)
	}
}

func TestSchedulePanicIsFailure(t *testing.T) {
	rs, err := Schedule(t.Context(), []Node{{ID: "a", Run: func(context.Context) error { panic("boom") }}}, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(rs)["a"]; got != "failed: panic: boom" {
		t.Errorf("a = %q, want failed: panic: boom", got)
	}
}

func TestOrder(t *testing.T) {
	nodes := []Node{
		{ID: "student", Deps: []string{"lamp"}}, {ID: "lamp", Deps: []string{"base"}},
		{ID: "other"}, {ID: "base"},
	}
	got, err := Order(nodes)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"other", "base", "lamp", "student"}, got); diff != "" {
		t.Errorf("Order() mismatch (-want +got):\n%s", diff)
	}
	if _, err := Order([]Node{{ID: "a", Deps: []string{"a"}}}); err == nil {
		t.Error("Order of a cycle succeeded")
	}
}
