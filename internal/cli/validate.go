package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
)

func init() { register(newValidateCmd) }

type validateOptions struct {
	vars varFlags
	json bool
}

func newValidateCmd(g *Globals) *cobra.Command {
	o := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the workspace for mistakes before any build starts",
		Long: "Loads boxbuild.hcl, boxes/*.hcl and semesters/*.hcl and reports every problem with its\n" +
			"file, line and column. Exit code 0 when valid, 1 when not.",
		Args: exactArgs(0),
		RunE: func(*cobra.Command, []string) error { return runValidate(g, o) },
	}
	o.vars.register(cmd)
	cmd.Flags().BoolVar(&o.json, "json", false, "print the result as JSON")
	return cmd
}

func runValidate(g *Globals, o *validateOptions) error {
	_, files, diags, err := g.loadWorkspaceDiags(&o.vars)
	if err != nil {
		return err
	}
	if o.json {
		if err := writeJSON(g.Stdout, validateJSON(diags, files)); err != nil {
			return err
		}
	} else {
		g.printDiags(diags, files)
		if !diags.HasErrors() {
			fmt.Fprintln(g.Stdout, "The workspace is valid.")
		}
	}
	if diags.HasErrors() {
		return errReported
	}
	return nil
}

// The JSON shape follows terraform's `validate -json`, so tools that read one read the other.
type validateResult struct {
	FormatVersion string     `json:"format_version"`
	Valid         bool       `json:"valid"`
	ErrorCount    int        `json:"error_count"`
	WarningCount  int        `json:"warning_count"`
	Diagnostics   []jsonDiag `json:"diagnostics"`
}

type jsonDiag struct {
	Severity string     `json:"severity"`
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail,omitempty"`
	Range    *jsonRange `json:"range,omitempty"`
	Snippet  *string    `json:"snippet,omitempty"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

func validateJSON(diags hcl.Diagnostics, files map[string]*hcl.File) validateResult {
	res := validateResult{FormatVersion: "1.0", Diagnostics: []jsonDiag{}}
	for _, d := range diags {
		jd := jsonDiag{Severity: "warning", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagError {
			jd.Severity = "error"
			res.ErrorCount++
		} else {
			res.WarningCount++
		}
		if r := d.Subject; r != nil {
			jd.Range = &jsonRange{Filename: r.Filename,
				Start: jsonPos{r.Start.Line, r.Start.Column, r.Start.Byte},
				End:   jsonPos{r.End.Line, r.End.Column, r.End.Byte}}
			if f := files[r.Filename]; f != nil {
				jd.Snippet = sourceLine(f.Bytes, r.Start.Line)
			}
		}
		res.Diagnostics = append(res.Diagnostics, jd)
	}
	res.Valid = res.ErrorCount == 0
	return res
}

func sourceLine(src []byte, line int) *string {
	lines := strings.Split(string(src), "\n")
	if line < 1 || line > len(lines) {
		return nil
	}
	s := strings.TrimRight(lines[line-1], "\r")
	return &s
}

// writeJSON is the one place --json output is written: indented, with a final newline.
func writeJSON(w interface{ Write([]byte) (int, error) }, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
