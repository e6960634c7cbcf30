// Package workflows checks the GitHub workflows shipped for maintainers' repositories.
package workflows

import (
	"os/exec"
	"testing"
)

// TestActionlint runs actionlint (a Go tool dependency in go.mod, so `go tool` builds the
// pinned version) over .github/workflows, shellcheck-ing their run: scripts too.
func TestActionlint(t *testing.T) {
	cmd := exec.Command("go", "tool", "actionlint", "-color=false")
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("actionlint: %v\n%s", err, out)
	}
}
