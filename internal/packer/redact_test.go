package packer

import (
	"strings"
	"testing"
)

func TestRedactorWriter(t *testing.T) {
	tests := []struct {
		name    string
		secrets []string
		writes  []string
		want    string
	}{
		{"whole line", []string{"hunter22"}, []string{"password=hunter22\n"}, "password=[REDACTED]\n"},
		{"split across writes", []string{"hunter22"}, []string{"pass=hun", "ter22 end\nnext"}, "pass=[REDACTED] end\nnext"},
		{"escaped in a machine-readable line", []string{"a,b,c"}, []string{"1,,ui,say,x a%!(PACKER_COMMA)b%!(PACKER_COMMA)c\n"}, "1,,ui,say,x [REDACTED]\n"},
		{"several secrets", []string{"alpha", "beta1"}, []string{"alpha beta1 gamma\n"}, "[REDACTED] [REDACTED] gamma\n"},
		{"too short to redact", []string{"x", ""}, []string{"x marks\n"}, "x marks\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			w := NewRedactor(tt.secrets).Writer(&b)
			for _, s := range tt.writes {
				if _, err := w.Write([]byte(s)); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("wrote %q, want %q", b.String(), tt.want)
			}
		})
	}
}

func TestTailLines(t *testing.T) {
	tl := &tailLines{max: 3}
	for _, s := range []string{"1", "2\n3", "4", "5\n"} {
		tl.add(s)
	}
	if got, want := tl.String(), "3\n4\n5"; got != want {
		t.Errorf("tail = %q, want %q", got, want)
	}
}
