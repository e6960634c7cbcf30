package plan

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/artifact"
	"github.com/boxbuild/boxbuild/internal/cache"
	"github.com/boxbuild/boxbuild/internal/config"
)

// workspace writes a small workspace — a bootstrap base, a child and a grandchild — using
// the repository's own Packer templates.
func workspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "packer"), os.DirFS("../../packer")); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"boxbuild.hcl": "workspace {\n  org = \"tbz\"\n}\nvariable \"pw\" {\n  sensitive = true\n  default = \"hunter2\"\n}\n",
		"boxes/b.hcl": `box "base" {
  version = "1.0"
  source "bootstrap" {}
  provision "base.sh" {}
}
box "web" {
  version = "2.1"
  from = "base"
  provision "web.sh" {
    env = { PW = var.pw }
  }
}
box "app" {
  version = "3.0"
  from = "web"
  provision "app.sh" {}
}
box "other" {
  version = "1.0"
  source "bootstrap" {}
  provision "base.sh" {}
  memory = 1024
}
`,
		"provision/base.sh": "#!/bin/sh\nset -eu\necho base\n",
		"provision/web.sh":  "#!/bin/sh\nset -eu\necho web\n",
		"provision/app.sh":  "#!/bin/sh\nset -eu\necho app\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func makePlan(t *testing.T, dir string, opts Options) *Plan {
	t.Helper()
	ws, _, diags := config.Load(dir, config.Options{Env: []string{}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	opts.Packer = version.Must(version.NewVersion("1.6.6"))
	opts.RenderDir = filepath.Join(dir, ".boxbuild", "render")
	p, err := Make(ws, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pretendBuilt records every build that needs building as built, as the executor would.
func pretendBuilt(t *testing.T, dir string, p *Plan) {
	t.Helper()
	c := cache.Open(filepath.Join(dir, ".boxbuild"))
	for _, b := range p.Builds {
		if !b.NeedsBuild() {
			continue
		}
		box := filepath.Join(dir, ".boxbuild", "out", b.ID+"-"+b.Version+".box")
		os.MkdirAll(filepath.Dir(box), 0o755)
		if err := os.WriteFile(box, []byte(b.ActionID), 0o644); err != nil {
			t.Fatal(err)
		}
		a := artifact.Artifact{Box: b.Box.Name, Version: b.Version, Provider: b.Provider, Arch: b.Arch, File: box,
			Sha256: strings.Repeat("a", 64), Size: int64(len(b.ActionID)), BuiltAt: time.Now().UTC()}
		if err := artifact.Write(filepath.Join(dir, ".boxbuild"), &a); err != nil {
			t.Fatal(err)
		}
		if err := c.Put(&cache.Entry{ActionID: b.ActionID, Lines: b.Lines, Artifact: a}); err != nil {
			t.Fatal(err)
		}
	}
}

type row struct{ ID, Version, Why string }

func summary(p *Plan) []row {
	var out []row
	for _, b := range p.Builds {
		why := "cached"
		if b.NeedsBuild() {
			why = strings.Join(b.Reasons, "; ")
		}
		out = append(out, row{b.ID, b.Version, why})
	}
	return out
}

func TestIncrementalPlan(t *testing.T) {
	dir := workspace(t)
	p := makePlan(t, dir, Options{})
	got := summary(p)
	wantFirst := []row{
		{"base/libvirt/amd64", "1.0.0", "no previous build"},
		{"web/libvirt/amd64", "2.1.0", "no previous build"},
		{"app/libvirt/amd64", "3.0.0", "no previous build"},
		{"other/libvirt/amd64", "1.0.0", "no previous build"},
	}
	if diff := cmp.Diff(wantFirst, got); diff != "" {
		t.Fatalf("first plan (-want +got):\n%s", diff)
	}
	pretendBuilt(t, dir, p)

	// Nothing changed: everything is a cache hit, with the version it was built as.
	got = summary(makePlan(t, dir, Options{}))
	wantCached := []row{
		{"base/libvirt/amd64", "1.0.0", "cached"},
		{"web/libvirt/amd64", "2.1.0", "cached"},
		{"app/libvirt/amd64", "3.0.0", "cached"},
		{"other/libvirt/amd64", "1.0.0", "cached"},
	}
	if diff := cmp.Diff(wantCached, got); diff != "" {
		t.Fatalf("second plan (-want +got):\n%s", diff)
	}

	// One script changes: that box and what derives from it rebuild, at the next patch.
	if err := os.WriteFile(filepath.Join(dir, "provision/web.sh"), []byte("#!/bin/sh\nset -eu\necho web v2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p = makePlan(t, dir, Options{})
	got = summary(p)
	wantChanged := []row{
		{"base/libvirt/amd64", "1.0.0", "cached"},
		{"web/libvirt/amd64", "2.1.1", "changed: scripts/01-provision-web.sh"},
		{"app/libvirt/amd64", "3.0.1", "changed: parent web rebuilt"},
		{"other/libvirt/amd64", "1.0.0", "cached"},
	}
	if diff := cmp.Diff(wantChanged, got); diff != "" {
		t.Fatalf("plan after a script change (-want +got):\n%s", diff)
	}

	// --force rebuilds only what was selected (and, through the parent line, its children).
	got = summary(makePlan(t, dir, Options{Boxes: []string{"other"}, Force: true}))
	if diff := cmp.Diff([]row{{"other/libvirt/amd64", "1.0.1", "--force"}}, got); diff != "" {
		t.Errorf("forced plan (-want +got):\n%s", diff)
	}
}

func TestSelectionAddsParents(t *testing.T) {
	dir := workspace(t)
	p := makePlan(t, dir, Options{Boxes: []string{"app"}})
	var ids []string
	for _, b := range p.Builds {
		ids = append(ids, b.ID)
		if b.Selected != (b.Box.Name == "app") {
			t.Errorf("%s selected = %v", b.ID, b.Selected)
		}
	}
	if diff := cmp.Diff([]string{"base/libvirt/amd64", "web/libvirt/amd64", "app/libvirt/amd64"}, ids); diff != "" {
		t.Errorf("builds (-want +got):\n%s", diff)
	}
	ws, _, _ := config.Load(dir, config.Options{Env: []string{}})
	_, err := Make(ws, Options{Boxes: []string{"nope"}, Packer: version.Must(version.NewVersion("1.6.6")), RenderDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), `no box named "nope"`) {
		t.Errorf("unknown box: err = %v", err)
	}
}

func TestSensitiveValues(t *testing.T) {
	dir := workspace(t)
	var debug bytes.Buffer
	t.Setenv("BOXBUILD_DEBUG_HASH", "1")
	p := makePlan(t, dir, Options{Debug: &debug})
	if !strings.Contains(debug.String(), "secret provision/web.sh:PW hmac:") {
		t.Errorf("debug output lacks the secret's keyed hash line:\n%s", debug.String())
	}
	if strings.Contains(debug.String(), "hunter2") {
		t.Error("debug output shows a sensitive value")
	}
	first := p.Builds[1].ActionID
	// A changed secret changes the action ID.
	os.WriteFile(filepath.Join(dir, "boxbuild.hcl"), []byte("workspace {\n  org = \"tbz\"\n}\nvariable \"pw\" {\n  sensitive = true\n  default = \"other\"\n}\n"), 0o644)
	if makePlan(t, dir, Options{}).Builds[1].ActionID == first {
		t.Error("changing a sensitive value kept the action ID")
	}
}

func TestNextPatch(t *testing.T) {
	tests := []struct {
		series string
		used   []string
		want   string
	}{
		{"2.1", nil, "2.1.0"},
		{"2.1", []string{"2.1.0", "2.1.4", "2.0.9", "2.2.7"}, "2.1.5"},
		{"2.1", []string{"garbage", "2.1.10"}, "2.1.11"},
	}
	for _, tt := range tests {
		if got := NextPatch(tt.series, tt.used); got != tt.want {
			t.Errorf("NextPatch(%q, %v) = %q, want %q", tt.series, tt.used, got, tt.want)
		}
	}
}
