package cli

import (
	"os"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/term"
)

// printDiags is the one place diagnostics are printed: with file:line:column, a snippet of the
// source and, on a terminal without NO_COLOR, colour.
func (g *Globals) printDiags(diags hcl.Diagnostics, files map[string]*hcl.File) {
	if files == nil {
		files = g.files
	}
	width := uint(100)
	color := false
	if g.StderrTTY {
		if w, _, err := term.GetSize(int(os.Stderr.Fd())); err == nil && w > 20 {
			width = uint(w)
		}
		color = os.Getenv("NO_COLOR") == ""
	}
	wr := hcl.NewDiagnosticTextWriter(g.Stderr, files, width, color)
	_ = wr.WriteDiagnostics(diags)
}
