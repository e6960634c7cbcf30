package build

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// graph is the nodes with their dependency counts and reverse edges.
type graph struct {
	nodes      []Node
	index      map[string]int
	dependents [][]int // for each node, the nodes that depend on it
	pending    []int   // for each node, how many dependencies have not finished yet
	priority   []time.Duration
	results    []Result
	finished   []bool
	order      []int // a topological order: each node after its dependencies
}

func newGraph(nodes []Node) (*graph, error) {
	g := &graph{
		nodes: nodes, index: make(map[string]int, len(nodes)),
		dependents: make([][]int, len(nodes)), pending: make([]int, len(nodes)),
		priority: make([]time.Duration, len(nodes)), results: make([]Result, len(nodes)),
		finished: make([]bool, len(nodes)),
	}
	for i, n := range nodes {
		if _, dup := g.index[n.ID]; dup {
			return nil, fmt.Errorf("schedule: node %q appears twice", n.ID)
		}
		if n.Run == nil {
			return nil, fmt.Errorf("schedule: node %q has nothing to run", n.ID)
		}
		g.index[n.ID] = i
		g.results[i].ID = n.ID
	}
	for i, n := range nodes {
		seen := map[string]bool{}
		for _, d := range n.Deps {
			j, ok := g.index[d]
			if !ok {
				return nil, fmt.Errorf("schedule: node %q depends on unknown %q", n.ID, d)
			}
			if seen[d] {
				continue
			}
			seen[d] = true
			g.dependents[j] = append(g.dependents[j], i)
			g.pending[i]++
		}
	}
	if err := g.computePriority(); err != nil {
		return nil, err
	}
	return g, nil
}

// computePriority sets each node's priority to the length of the longest chain from it
// through its dependents (its own estimate included), visiting nodes in reverse
// topological order; a node left unvisited is on a cycle.
func (g *graph) computePriority() error {
	order := make([]int, 0, len(g.nodes)) // topological order, Kahn's algorithm
	pend := append([]int(nil), g.pending...)
	for i := range g.nodes {
		if pend[i] == 0 {
			order = append(order, i)
		}
	}
	for k := 0; k < len(order); k++ {
		for _, d := range g.dependents[order[k]] {
			if pend[d]--; pend[d] == 0 {
				order = append(order, d)
			}
		}
	}
	if len(order) != len(g.nodes) {
		var cyc []string
		for i := range g.nodes {
			if pend[i] > 0 {
				cyc = append(cyc, g.nodes[i].ID)
			}
		}
		return fmt.Errorf("schedule: dependency cycle among %s", strings.Join(cyc, ", "))
	}
	g.order = order
	for k := len(order) - 1; k >= 0; k-- {
		i := order[k]
		var longest time.Duration
		for _, d := range g.dependents[i] {
			longest = max(longest, g.priority[d])
		}
		g.priority[i] = longest + max(g.nodes[i].Estimate, 1)
	}
	return nil
}

// Order returns the node IDs in an order that puts every node after its dependencies
// (stable: independent nodes keep their given order), for a dry run to print.
func Order(nodes []Node) ([]string, error) {
	nodes = slices.Clone(nodes)
	for i := range nodes {
		if nodes[i].Run == nil { // a dry run has nothing to run; the graph check wants something
			nodes[i].Run = func(context.Context) error { return nil }
		}
	}
	g, err := newGraph(nodes)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(g.order))
	for k, i := range g.order {
		ids[k] = nodes[i].ID
	}
	return ids, nil
}
