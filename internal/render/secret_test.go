package render

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-version"
)

// TestSecretsNeverWritten renders every box for every provider and both variants with a
// sensitive value and greps every written file for it: it must appear nowhere, while the
// template declares it sensitive and PackerArgs passes it only through the environment.
func TestSecretsNeverWritten(t *testing.T) {
	forEachPacker(t, testWorkspace(t), func(pv *version.Version, opts Options, res []*Result) {
		files := 0
		err := filepath.WalkDir(opts.OutDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if bytes.Contains(b, []byte(testSecret)) {
				t.Errorf("%s contains the secret", p)
			}
			files++
			return err
		})
		if err != nil || files < len(res) {
			t.Fatalf("walked %d files for %d results: %v", files, len(res), err)
		}
		child := findResult(t, res, "child", "libvirt")
		tmpl, _ := os.ReadFile(child.Template)
		for _, want := range []string{"variable \"db_password\" {", "sensitive   = true", `"DB_PASSWORD=${var.db_password}"`} {
			if !strings.Contains(string(tmpl), want) {
				t.Errorf("%s: template lacks %q", pv, want)
			}
		}
		args, env, err := child.PackerArgs(runVars())
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(args, func(a string) bool { return strings.Contains(a, testSecret) }) {
			t.Errorf("the secret is on the command line: %q", args)
		}
		if diff := cmp.Diff([]string{"PKR_VAR_db_password=" + testSecret}, env); diff != "" {
			t.Errorf("PackerArgs() env (-want +got):\n%s", diff)
		}
	})
}

func findResult(t *testing.T, res []*Result, box, provider string) *Result {
	t.Helper()
	for _, r := range res {
		if r.Box == box && r.Provider == provider {
			return r
		}
	}
	t.Fatalf("no result for %s/%s", box, provider)
	return nil
}

func runVars() RunVars {
	return RunVars{BaseImage: "/b/base.qcow2", BaseImageChecksum: "sha256:00", BaseImageSize: "2048M",
		OutputDir: "/o/out", BoxOutput: "/o/child.box", BoxVersion: "2.1.0"}
}
