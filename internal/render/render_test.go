package render

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/config"
)

// TestDeterministic renders the whole workspace twice into different folders: the inputs and
// their hashes must be identical, so the cache key does not depend on where or when.
func TestDeterministic(t *testing.T) {
	ws := testWorkspace(t)
	hashes := func() map[string][]Input {
		opts := repoTemplates(t)
		opts.Packer = packer166
		res, err := renderAllSupported(t, ws, opts)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string][]Input{}
		for _, r := range res {
			m[r.Box+"/"+r.Provider] = r.Inputs
		}
		return m
	}
	first, second := hashes(), hashes()
	if len(first) == 0 {
		t.Fatal("nothing rendered")
	}
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("second render differs (-first +second):\n%s", diff)
	}
}

func TestRerenderRemovesStaleFiles(t *testing.T) {
	ws := testWorkspace(t)
	opts := repoTemplates(t)
	opts.Packer, opts.Boxes, opts.Providers = packer166, []string{"child"}, []string{"libvirt"}
	if _, err := Render(ws, opts); err != nil {
		t.Fatal(err)
	}
	ws.Box("child").Provisions = ws.Box("child").Provisions[:1]
	res, err := Render(ws, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(res[0].Dir, "scripts", "02-provision-db-setup.sh")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a dropped script is still in scripts/ (stat: %v)", err)
	}
	if len(res[0].Inputs) != 2 {
		t.Errorf("Inputs = %v, want box.pkr.hcl and one script", res[0].Inputs)
	}
}

func TestPackerArgs(t *testing.T) {
	ws := testWorkspace(t)
	opts := repoTemplates(t)
	opts.Packer, opts.Boxes, opts.Providers = packer166, []string{"child"}, []string{"libvirt"}
	res, err := Render(ws, opts)
	if err != nil {
		t.Fatal(err)
	}
	rv := runVars()
	rv.Accelerator = "kvm"
	args, env, err := res[0].PackerArgs(rv)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"-var", "accelerator=kvm", "-var", "base_image=/b/base.qcow2", "-var", "base_image_checksum=sha256:00",
		"-var", "base_image_size=2048M", "-var", "box_output=/o/child.box", "-var", "box_version=2.1.0",
		"-var", "output_dir=/o/out",
	}
	if diff := cmp.Diff(want, args); diff != "" {
		t.Errorf("PackerArgs() args (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"PKR_VAR_db_password=" + testSecret}, env); diff != "" {
		t.Errorf("PackerArgs() env (-want +got):\n%s", diff)
	}
	rv.BaseImageSize = ""
	if _, _, err := res[0].PackerArgs(rv); err == nil || !strings.Contains(err.Error(), "base_image_size") {
		t.Errorf("PackerArgs() without base_image_size: err = %v, want it named", err)
	}
}

// A script variable without a value still renders (to inspect it), but cannot be built.
func TestMissingVariable(t *testing.T) {
	ws := testWorkspace(t)
	ws.Box("child").Provisions[1].Env[1].Missing = true
	opts := repoTemplates(t)
	opts.Packer, opts.Boxes, opts.Providers = packer166, []string{"child"}, []string{"libvirt"}
	res, err := Render(ws, opts)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"db_password"}, res[0].Missing); diff != "" {
		t.Errorf("Missing (-want +got):\n%s", diff)
	}
	if _, _, err := res[0].PackerArgs(runVars()); err == nil || !strings.Contains(err.Error(), "BOXBUILD_VAR_db_password") {
		t.Errorf("PackerArgs() with a missing variable: err = %v, want it named", err)
	}
}

func TestChooseVariant(t *testing.T) {
	tests := []struct {
		version, name, esxi string
		plugins             bool
	}{
		{"1.6.6", "packer-1.6", "vmware-iso", false},
		{"1.6.0", "packer-1.6", "vmware-iso", false},
		{"1.7.0", "packer-1.7+", "vsphere-iso", true},
		{"1.11.2", "packer-1.7+", "vsphere-iso", true},
		{"1.7.0-rc1", "packer-1.6", "vmware-iso", false}, // a prerelease of 1.7 sorts before it
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			v, err := ChooseVariant(version.Must(version.NewVersion(tt.version)))
			if err != nil {
				t.Fatal(err)
			}
			got := []any{v.Name, v.ESXiBuilder, v.PluginsBlock}
			if diff := cmp.Diff([]any{tt.name, tt.esxi, tt.plugins}, got); diff != "" {
				t.Errorf("ChooseVariant(%s) (-want +got):\n%s", tt.version, diff)
			}
			if !strings.Contains(v.Reason, tt.version) {
				t.Errorf("Reason %q does not name the version", v.Reason)
			}
		})
	}
	if _, err := ChooseVariant(nil); err == nil {
		t.Error("ChooseVariant(nil) did not fail")
	}
}

func TestHCLString(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain`, `"plain"`},
		{`a "q" \ b`, `"a \"q\" \\ b"`},
		{"line\nnext\ttab", `"line\nnext\ttab"`},
		{`${var.x} and %{ if }`, `"$${var.x} and %%{ if }"`},
		{`$5 and 100%`, `"$5 and 100%"`},
		{"bell\a", `"bell\u0007"`},
	}
	for _, tt := range tests {
		if got := hclString(tt.in); got != tt.want {
			t.Errorf("hclString(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(ws *config.Workspace, o *Options)
		want   string
	}{
		{"unknown box", func(_ *config.Workspace, o *Options) { o.Boxes = []string{"nope"} }, `no box named "nope"`},
		{"no packer version", func(_ *config.Workspace, o *Options) { o.Packer = nil }, "no Packer version"},
		{"missing script", func(ws *config.Workspace, _ *Options) {
			ws.Box("base").Provisions[0].Path = "provision/base/missing.sh"
		}, "missing.sh"},
		{"library missing", func(ws *config.Workspace, _ *Options) {
			ws.Dir = t.TempDir()
			script := filepath.Join(ws.Dir, "provision", "uses-lib.sh")
			os.MkdirAll(filepath.Dir(script), 0o755)
			os.WriteFile(script, []byte("#!/bin/sh\n. \"$BOXBUILD_LIB\"\n"), 0o755)
			ws.Box("base").Provisions[0].Path = "provision/uses-lib.sh"
		}, "provision/uses-lib.sh sources boxbuild's shell library: open "},
		{"bad iso os", func(ws *config.Workspace, o *Options) {
			ws.Box("deb-iso").Source.OS = "arch"
			o.Boxes = []string{"deb-iso"}
		}, `os must be "debian" or "ubuntu"`},
		{"arm64", func(ws *config.Workspace, o *Options) {
			o.Boxes, o.Arch = []string{"base"}, nil
			ws.Box("base").Arch = []string{"arm64"}
		}, "arm64"},
		{"no templates", func(ws *config.Workspace, o *Options) { o.Templates = nil; ws.Dir = t.TempDir() }, "no packer/box.pkr.hcl.tmpl"},
		{"template missing key", func(_ *config.Workspace, o *Options) {
			o.Templates = brokenTemplates(t, "{{ .NoSuchField }}")
		}, "NoSuchField"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := testWorkspace(t)
			opts := repoTemplates(t)
			opts.Packer, opts.Boxes, opts.Providers = packer166, []string{"base"}, []string{"libvirt"}
			tt.change(ws, &opts)
			_, err := Render(ws, opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Render() error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// brokenTemplates is a template set whose main piece is main.
func brokenTemplates(t *testing.T, main string) fs.FS {
	t.Helper()
	return fstest.MapFS{
		"box.pkr.hcl.tmpl":          {Data: []byte(main)},
		"sources/qemu.pkr.hcl.tmpl": {Data: []byte(`source "qemu" "box" {}`)},
	}
}
