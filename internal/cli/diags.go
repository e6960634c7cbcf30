package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// printDiags is the one place diagnostics are printed. Each starts with file:line:column, the
// form editors and CI annotations jump to (hcl's own text writer prints no column), followed
// by the source line with the range underlined and the actionable detail.
func (g *Globals) printDiags(diags hcl.Diagnostics, files map[string]*hcl.File) {
	if files == nil {
		files = g.files
	}
	color := g.StderrTTY && os.Getenv("NO_COLOR") == ""
	for _, d := range diags {
		writeDiag(g.Stderr, d, files, color)
	}
}

func writeDiag(w io.Writer, d *hcl.Diagnostic, files map[string]*hcl.File, color bool) {
	sev, paint := "error", "\x1b[1;31m"
	if d.Severity == hcl.DiagWarning {
		sev, paint = "warning", "\x1b[1;33m"
	}
	if !color {
		paint = ""
	}
	reset := ""
	if paint != "" {
		reset = "\x1b[0m"
	}
	pos := "boxbuild"
	if r := d.Subject; r != nil {
		pos = fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
	}
	fmt.Fprintf(w, "%s: %s%s%s: %s\n", pos, paint, sev, reset, d.Summary)
	if r := d.Subject; r != nil {
		if f := files[r.Filename]; f != nil {
			writeSnippet(w, f.Bytes, *r)
		}
	}
	if d.Detail != "" {
		for _, line := range strings.Split(d.Detail, "\n") {
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
	fmt.Fprintln(w)
}

// writeSnippet prints the first line of the range with carets under the range's part of it.
func writeSnippet(w io.Writer, src []byte, r hcl.Range) {
	line := sourceLine(src, r.Start.Line)
	if line == nil {
		return
	}
	text := strings.ReplaceAll(*line, "\t", " ")
	end := r.End.Column
	if r.End.Line != r.Start.Line || end > len(text)+1 {
		end = len(text) + 1
	}
	width := end - r.Start.Column
	if width < 1 {
		width = 1
	}
	gutter := fmt.Sprintf("%5d | ", r.Start.Line)
	fmt.Fprintf(w, "%s%s\n", gutter, text)
	fmt.Fprintf(w, "%s| %s%s\n", strings.Repeat(" ", len(gutter)-2), strings.Repeat(" ", max(r.Start.Column-1, 0)), strings.Repeat("^", width))
}
