package render

import (
	"fmt"
	"strings"
)

// hclString quotes s as an HCL string literal. Besides the usual escapes it doubles the
// template introducers ${ and %{, so a value like "pa${ss" stays literal instead of becoming
// an interpolation.
func hclString(s string) string { return `"` + hclEscape(s) + `"` }

func hclEscape(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
