package render

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-version"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenCase is one source kind; boxFor picks the workspace box that has it for a provider.
type goldenCase struct {
	name   string
	boxFor func(provider string) string
}

var goldenCases = []goldenCase{
	{"iso-debian", func(string) string { return "deb-iso" }},
	{"iso-ubuntu", func(string) string { return "ubu-iso" }},
	{"image", func(p string) string {
		if p == "libvirt" {
			return "img-qcow2"
		}
		return "img-ova"
	}},
	{"bootstrap", func(string) string { return "base" }},
	{"from", func(string) string { return "child" }},
}

// TestGolden renders every source kind × provider × Packer variant and compares the result
// with testdata/golden/<packer>/<kind>_<provider>.golden: the Result summary and the template,
// or the error for a pair that cannot be built. `go test ./internal/render -update` rewrites them.
func TestGolden(t *testing.T) {
	ws := testWorkspace(t)
	for _, pv := range []*version.Version{packer166, packer1112} {
		for _, c := range goldenCases {
			for _, p := range allProviders {
				name := fmt.Sprintf("%s/%s_%s", pv, c.name, p)
				t.Run(name, func(t *testing.T) {
					opts := repoTemplates(t)
					opts.Packer, opts.Boxes, opts.Providers = pv, []string{c.boxFor(p)}, []string{p}
					got := goldenText(t, ws.Dir, opts)
					checkGolden(t, filepath.Join("testdata", "golden", name+".golden"), got)
				})
			}
		}
	}
}

func goldenText(t *testing.T, wsDir string, opts Options) string {
	t.Helper()
	res, err := Render(testWorkspace(t), opts)
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	if len(res) != 1 {
		t.Fatalf("Render() returned %d results, want 1", len(res))
	}
	r := res[0]
	var b strings.Builder
	fmt.Fprintf(&b, "builder: %s\nsource: %s\nbox provider: %s\nartifact: %q\nvariant: %s\n",
		r.Builder, r.Source, r.BoxProvider, r.Artifact, r.Variant.Reason)
	b.WriteString("vars:\n")
	for _, v := range r.Vars {
		fmt.Fprintf(&b, "  %s runtime=%t sensitive=%t has_value=%t", v.Name, v.Runtime, v.Sensitive, v.HasValue)
		if v.Default != nil {
			fmt.Fprintf(&b, " default=%q", *v.Default)
		}
		b.WriteString("\n")
	}
	b.WriteString("inputs:\n")
	for _, in := range r.Inputs {
		fmt.Fprintf(&b, "  %s %s\n", in.SHA256, in.Path)
	}
	tmpl, err := os.ReadFile(r.Template)
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString("--- " + TemplateFile + "\n")
	b.Write(tmpl)
	return b.String()
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/render -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("Render() mismatch for %s (-want +got):\n%s", path, diff)
	}
}
