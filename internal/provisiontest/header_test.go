package provisiontest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHeaderProblems proves the header check catches what it claims to, so a clean run of
// TestScriptHeaders means something.
func TestHeaderProblems(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			name: "good sh",
			text: "#!/bin/sh\n# Installs x.\n# Environment:\n#   FOO  what (default: 1)\nset -eu\nFOO=${FOO:-1}\n",
		},
		{
			name: "good bash",
			text: "#!/bin/bash\n# Installs x.\n# Environment: none.\nset -euo pipefail\n",
		},
		{
			name: "unknown shell",
			text: "#!/usr/bin/python3\nprint(1)\n",
			want: []string{`first line "#!/usr/bin/python3" is not #!/bin/sh or #!/bin/bash`},
		},
		{
			name: "no comment, no strict mode",
			text: "#!/bin/sh\necho hi\n",
			want: []string{
				"no leading comment after the #! line saying what the script does",
				`the leading comment has no "Environment:" section`,
				`no "set -eu" line`,
			},
		},
		{
			name: "bash needs pipefail",
			text: "#!/bin/bash\n# Does y.\n# Environment: none.\nset -eu\n",
			want: []string{`no "set -euo pipefail" line`},
		},
		{
			name: "undocumented variable and xtrace",
			text: "#!/bin/sh\n# Does z.\n# Environment:\n#   FOO  x\nset -eux\nBAR=${BAR:-2}\nFOO=${FOO:?}\n",
			want: []string{
				`sets -x, which would print secrets into build logs: "set -eux"`,
				`no "set -eu" line`,
				"reads $BAR but the leading comment does not name it",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, headerProblems(tt.text)); diff != "" {
				t.Errorf("headerProblems() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
