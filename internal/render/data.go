package render

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/boxbuild/boxbuild/internal/config"
)

// data is what the templates in packer/ see. Field names are the template's API: renaming
// one breaks maintainers' adapted templates, so add fields rather than rename them.
type data struct {
	Box, Description, Provider, Arch string
	Builder                          string // Packer builder type
	Source                           string // iso, image, bootstrap, from
	OS                               string // iso: debian or ubuntu
	ImageFormat                      string // image: qcow2, ova, …
	DiskImage                        bool   // starts from var.base_image as a disk, no installer
	CPUs, Memory, DiskMB             int
	VMName                           string // the VM / disk name, also the artifact's base name
	BoxProvider, ProviderOverride    string
	Variant                          Variant
	Plugins                          []plugin
	Vars                             []*Var
	Provisioners                     []provisioner
	Library                          *library // the shell library, when a script sources it
	HTTP                             bool     // http/ holds the unattended-install files
	ISOBoot                          bool     // an installer boots: boot_command and http directory
	Test                             bool     // boot the built box and run its tests: no post-processors
}

// library is boxbuild's shell library as a build uploads it.
type library struct {
	Script string // relative to the build folder
	Guest  string // where it is uploaded in the guest; BOXBUILD_LIB names it
}

type provisioner struct {
	Script string   // relative to the build folder, e.g. "scripts/01-apache.sh"
	Env    []string // HCL string expressions for environment_vars
}

// lineage is b followed by what it derives from, nearest first; a cycle (which the loader
// reports) ends it instead of looping.
func lineage(ws *config.Workspace, b *config.Box) []*config.Box {
	out := []*config.Box{b}
	for cur := b; cur.From != ""; {
		cur = ws.Box(cur.From)
		if cur == nil || slices.Contains(out, cur) {
			break
		}
		out = append(out, cur)
	}
	return out
}

// inherited is the first non-zero value along the lineage, else the workspace default, else def.
func inherited(chain []*config.Box, get func(*config.Box) int, wsDefault, def int) int {
	for _, b := range chain {
		if v := get(b); v > 0 {
			return v
		}
	}
	if wsDefault > 0 {
		return wsDefault
	}
	return def
}

func newData(ws *config.Workspace, b *config.Box, provider, arch string, v Variant, test bool) (*data, builder, error) {
	if arch != "amd64" {
		return nil, builder{}, fmt.Errorf("architecture %q is not supported by the templates yet (only amd64)", arch)
	}
	d := &data{Box: b.Name, Description: b.Description, Provider: provider, Arch: arch, Variant: v, VMName: b.Name}
	switch {
	case b.From != "":
		d.Source = kindFrom
	case b.Source != nil:
		d.Source = b.Source.Kind
		d.OS, d.ImageFormat = b.Source.OS, b.Source.Format
	default:
		return nil, builder{}, fmt.Errorf("box has neither a source nor from")
	}
	if test { // a test boots the box's own built disk, as a derived box would
		d.Source, d.Test = kindFrom, true
	}
	if d.Source == kindISO && d.OS != "debian" && d.OS != "ubuntu" {
		return nil, builder{}, fmt.Errorf("iso source: os must be \"debian\" or \"ubuntu\", not %q", d.OS)
	}
	bld, err := chooseBuilder(provider, d.Source, d.ImageFormat, v)
	if err != nil {
		return nil, builder{}, err
	}
	d.Builder, d.DiskImage = bld.Kind, bld.DiskImage
	d.BoxProvider, d.ProviderOverride = bld.BoxProvider, bld.ProviderOverride
	d.ISOBoot = d.Source == kindISO
	d.HTTP = d.ISOBoot
	chain := lineage(ws, b)
	d.CPUs = inherited(chain, func(b *config.Box) int { return b.CPUs }, ws.Defaults.CPUs, 2)
	d.Memory = inherited(chain, func(b *config.Box) int { return b.Memory }, ws.Defaults.Memory, 2048)
	d.DiskMB = 1024 * inherited(chain, func(b *config.Box) int { return b.DiskGB }, ws.Defaults.DiskGB, 20)
	if v.PluginsBlock {
		d.Plugins = pluginsFor(bld)
	}
	return d, bld, nil
}

// pluginsFor lists the plugins a build needs: its builder's and vagrant's, in name order.
func pluginsFor(b builder) []plugin {
	want := map[string]bool{"vagrant": true}
	switch {
	case b.Kind == "qemu":
		want["qemu"] = true
	case strings.HasPrefix(b.Kind, "virtualbox-"):
		want["virtualbox"] = true
	case strings.HasPrefix(b.Kind, "vmware-"):
		want["vmware"] = true
	case strings.HasPrefix(b.Kind, "vsphere-"):
		want["vsphere"] = true
	}
	var out []plugin
	for _, p := range modernPlugins {
		if want[p.Name] {
			out = append(out, p)
		}
	}
	return out
}

// scriptName is the name a provisioning script gets under scripts/: its order, then its path
// with slashes flattened, so two scripts called install.sh in different folders stay apart.
func scriptName(i int, p string) string {
	return fmt.Sprintf("scripts/%02d-%s", i+1, strings.ReplaceAll(path.Clean(p), "/", "-"))
}
