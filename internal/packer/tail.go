package packer

import (
	"strings"
	"sync"
)

// tailLines keeps the last max lines written to it, like os/exec's prefixSuffixSaver keeps
// the end of a command's output: a failed build's error carries the end of its log, not
// the whole of it.
type tailLines struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (t *tailLines) add(text string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		t.lines = append(t.lines, l)
	}
	if over := len(t.lines) - t.max; over > 0 {
		// Copy down rather than reslice, so the backing array does not grow forever.
		t.lines = append(t.lines[:0], t.lines[over:]...)
	}
}

func (t *tailLines) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(t.lines, "\n")
}
