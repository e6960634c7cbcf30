package plan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/config"
)

// BenchmarkMake500 plans a generated workspace of 500 boxes (bench/noop measures the whole
// command; this finds where the time goes: go test -bench Make500 -cpuprofile cpu.out).
func BenchmarkMake500(b *testing.B) {
	dir := b.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "packer"), os.DirFS("../../packer")); err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for i := 0; i < 500; i++ {
		if i%25 == 0 {
			fmt.Fprintf(&sb, "box \"b%03d\" {\n  version = \"1.0\"\n  source \"bootstrap\" {}\n  provision \"s.sh\" {}\n}\n", i)
		} else {
			fmt.Fprintf(&sb, "box \"b%03d\" {\n  version = \"1.0\"\n  from = \"b%03d\"\n  provision \"s.sh\" {}\n}\n", i, i-i%25)
		}
	}
	for name, content := range map[string]string{
		"boxbuild.hcl": "workspace {\n  org = \"x\"\n}\n", "boxes/b.hcl": sb.String(), "provision/s.sh": "#!/bin/sh\nset -eu\n",
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	ws, _, diags := config.Load(dir, config.Options{Env: []string{}})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	pv := version.Must(version.NewVersion("1.6.6"))
	// The first plan writes every build folder; a no-op run finds them in place.
	if _, err := Make(ws, Options{Packer: pv, RenderDir: filepath.Join(dir, "render")}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Make(ws, Options{Packer: pv, RenderDir: filepath.Join(dir, "render")}); err != nil {
			b.Fatal(err)
		}
	}
}
