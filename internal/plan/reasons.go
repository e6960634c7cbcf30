package plan

import (
	"strings"

	"github.com/boxbuild/boxbuild/internal/cache"
)

// reasons says why b must build, by comparing its input lines with the last build of the
// same target.
func reasons(b *Build, c *cache.Cache, forced bool) []string {
	if forced {
		return []string{"--force"}
	}
	last, ok := c.Last(b.Box.Name, b.Provider, b.Arch)
	if !ok {
		return []string{"no previous build"}
	}
	old := map[string]string{} // key (kind + name) → whole line
	for _, l := range last.Lines {
		old[lineKey(l)] = l
	}
	var out []string
	seen := map[string]bool{}
	for _, l := range b.Lines {
		k := lineKey(l)
		seen[k] = true
		prev, had := old[k]
		switch {
		case !had:
			out = append(out, "new input: "+describe(l))
		case prev != l:
			out = append(out, "changed: "+describe(l))
		}
	}
	for k, l := range old {
		if !seen[k] {
			out = append(out, "removed input: "+describe(l))
		}
	}
	if len(out) == 0 {
		// Same inputs as the last build, but its artifact is gone or damaged.
		return []string{"previous artifact missing"}
	}
	return out
}

// lineKey identifies what a line is about: its kind and, for files and secrets, the name.
func lineKey(l string) string {
	f := strings.Fields(l)
	switch {
	case len(f) >= 2 && (f[0] == "file" || f[0] == "secret" || f[0] == "parent"):
		if f[0] == "parent" {
			return "parent"
		}
		return f[0] + " " + f[1]
	case len(f) >= 1:
		return f[0]
	}
	return l
}

func describe(l string) string {
	f := strings.Fields(l)
	switch {
	case len(f) >= 2 && f[0] == "file":
		return f[1]
	case len(f) >= 2 && f[0] == "parent":
		return "parent " + f[1] + " rebuilt"
	case len(f) >= 2 && f[0] == "secret":
		return "sensitive value " + f[1]
	case len(f) >= 1 && f[0] == "salt":
		return "boxbuild version"
	case len(f) >= 1 && f[0] == "packer":
		return "packer version"
	case len(f) >= 1:
		return f[0]
	}
	return l
}
