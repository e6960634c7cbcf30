package render

import (
	"fmt"
	"io/fs"
	"slices"

	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/config"
)

// TemplateFile is the name of the rendered Packer template inside each build folder.
const TemplateFile = "box.pkr.hcl"

// Options select what Render writes and for which Packer.
type Options struct {
	OutDir    string           // folders are written to OutDir/<box>/<provider>-<arch>/
	Packer    *version.Version // the installed Packer (`packer version`); decides the Variant
	Boxes     []string         // box names; empty means every box
	Providers []string         // only these providers; empty means each box's own list
	Arch      []string         // only these architectures; empty means each box's own list
	// Templates holds the template pieces (the workspace's packer/ folder). Nil reads
	// ws.Dir/packer from disk; the build engine or `init` may pass embedded defaults.
	Templates fs.FS
}

// Result describes one rendered build folder: what the build engine runs and hashes.
type Result struct {
	Box, Provider, Arch string
	Dir                 string  // absolute folder of this build
	Template            string  // absolute path of box.pkr.hcl
	Builder             string  // Packer builder, e.g. "qemu", "virtualbox-ovf", "vsphere-iso"
	Source              string  // "iso", "image", "bootstrap" or "from"
	Parent              string  // the parent box for Source "from"
	BoxProvider         string  // provider name inside the .box (metadata.json) and the catalog
	Variant             Variant // which template shape and why
	// Artifact is the file, relative to the output_dir of this build, that a derived box
	// starts from (its base_image): a qcow2, an OVF or a VMX. Empty when nothing local can be
	// a parent (ESXi keeps the VM on the host).
	Artifact string
	Inputs   []Input // every written file with its content hash, sorted by path
	Vars     []*Var  // every Packer variable the template declares, sorted by name
	// Missing names the workspace variables a script needs that have no value: the folder
	// renders (to inspect it), but PackerArgs refuses to start the build.
	Missing []string
}

// Input is one file of a build folder and the SHA-256 of its bytes, for the cache key.
type Input struct {
	Path   string // relative to Result.Dir, slash-separated
	SHA256 string // hex
}

// Render writes one folder per selected box × provider × arch and returns them in box,
// provider, arch order. It stops at the first error: a half-rendered set is of no use to a build.
func Render(ws *config.Workspace, opts Options) ([]*Result, error) {
	return render(ws, opts, false)
}

// RenderTest writes, for each selected build, a folder that boots the box's own built disk
// (passed as base_image, like a parent's) and runs the box's test scripts as provisioners.
// It has no post-processor: nothing is packaged, and the disk copy is thrown away after.
func RenderTest(ws *config.Workspace, opts Options) ([]*Result, error) {
	return render(ws, opts, true)
}

func render(ws *config.Workspace, opts Options, test bool) ([]*Result, error) {
	variant, err := ChooseVariant(opts.Packer)
	if err != nil {
		return nil, err
	}
	boxes, err := selectBoxes(ws, opts.Boxes)
	if err != nil {
		return nil, err
	}
	tmpl, err := loadTemplates(ws, opts.Templates)
	if err != nil {
		return nil, err
	}
	var out []*Result
	for _, b := range boxes {
		for _, p := range filter(providersOf(ws, b), opts.Providers) {
			for _, a := range filter(archOf(ws, b), opts.Arch) {
				r, err := renderOne(ws, tmpl, b, p, a, variant, opts.OutDir, test)
				if err != nil {
					return nil, fmt.Errorf("render %s (%s, %s): %w", b.Name, p, a, err)
				}
				out = append(out, r)
			}
		}
	}
	return out, nil
}

func selectBoxes(ws *config.Workspace, names []string) ([]*config.Box, error) {
	if len(names) == 0 {
		return ws.Boxes, nil
	}
	var out []*config.Box
	for _, n := range names {
		b := ws.Box(n)
		if b == nil {
			return nil, fmt.Errorf("no box named %q in the workspace", n)
		}
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out, nil
}

// filter keeps the values of have that want names; an empty want keeps them all.
func filter(have, want []string) []string {
	if len(want) == 0 {
		return have
	}
	var out []string
	for _, h := range have {
		if slices.Contains(want, h) {
			out = append(out, h)
		}
	}
	return out
}

// The effective providers and architectures of a box: its own, else what it derives from,
// else the workspace defaults. The loader may already fill them in; this keeps render right
// either way.
func providersOf(ws *config.Workspace, b *config.Box) []string {
	for cur := b; cur != nil; cur = ws.Box(cur.From) {
		if len(cur.Providers) > 0 {
			return cur.Providers
		}
		if cur.From == "" {
			break
		}
	}
	return ws.Defaults.Providers
}

func archOf(ws *config.Workspace, b *config.Box) []string {
	for cur := b; cur != nil; cur = ws.Box(cur.From) {
		if len(cur.Arch) > 0 {
			return cur.Arch
		}
		if cur.From == "" {
			break
		}
	}
	if len(ws.Defaults.Arch) > 0 {
		return ws.Defaults.Arch
	}
	return []string{"amd64"}
}
