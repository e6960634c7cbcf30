package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary text to the loader as a box file and a semester file: whatever the
// input, Load must return diagnostics, never panic. Seeds live in testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	f.Add(baseBox, "")
	f.Add("box \"x\" {\n  from = \"base\"\n  version = \"1.0\"\n  provision \"web/apache.sh\" { env = { A = var.v } }\n}\nvariable \"v\" { default = 1 }\n",
		"semester \"S\" {\n  starts = \"2026-01-01\"\n  ends = \"2026-06-30\"\n  course \"c\" {\n    box = \"x\"\n    version = \"~> 1.0.0\"\n  }\n}\n")
	dir := writeWorkspace(f, nil)
	f.Fuzz(func(t *testing.T, box, semester string) {
		if err := os.WriteFile(filepath.Join(dir, "boxes", "base.hcl"), []byte(box), 0o644); err != nil {
			t.Fatal(err)
		}
		semDir := filepath.Join(dir, "semesters")
		if err := os.MkdirAll(semDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(semDir, "s.hcl"), []byte(semester), 0o644); err != nil {
			t.Fatal(err)
		}
		ws, _, diags := Load(dir, Options{Env: []string{}})
		if ws == nil && !diags.HasErrors() {
			t.Fatalf("no workspace and no error")
		}
	})
}
