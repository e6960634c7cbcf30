package config

import (
	"fmt"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
)

func errorf(subject *hcl.Range, summary, detail string, a ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(detail, a...), Subject: subject}
}

func warnf(subject *hcl.Range, summary, detail string, a ...any) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(detail, a...), Subject: subject}
}

// suggest returns ` Did you mean "x"?` for the known name closest to got, or "".
func suggest(got string, known []string) string {
	best, bestDist := "", 4
	for _, k := range known {
		if d := levenshtein.Distance(got, k, nil); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

// oneOf checks that got is a known name and reports it at rng otherwise.
func oneOf(what, got string, known []string, rng hcl.Range) *hcl.Diagnostic {
	for _, k := range known {
		if got == k {
			return nil
		}
	}
	return errorf(rng.Ptr(), "Unknown "+what,
		"%q is not a known %s; use one of %s.%s", got, what, strings.Join(known, ", "), suggest(got, known))
}

// rangeOf points at a block's label when it has one, else at its type: the part a reader looks for.
func labelRange(b *hcl.Block) hcl.Range {
	if len(b.LabelRanges) > 0 {
		return b.LabelRanges[0]
	}
	return b.DefRange
}

func where(r hcl.Range) string {
	return fmt.Sprintf("%s:%d,%d", r.Filename, r.Start.Line, r.Start.Column)
}
