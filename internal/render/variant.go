package render

import (
	"fmt"

	"github.com/hashicorp/go-version"
)

// Variant is the shape of template the installed Packer accepts. It is decided once per run
// from `packer version` and recorded in every Result, so `boxbuild render -v` can say why.
type Variant struct {
	// Name is "packer-1.6" or "packer-1.7+"; it is part of the golden file names.
	Name string
	// PackerVersion is the version the decision was made for.
	PackerVersion string
	// PluginsBlock says whether the template opens with a `packer { required_plugins … }`
	// block. Packer 1.6 rejects that block; from 1.7 on the builders live in external plugins
	// and the block is how a template names them.
	PluginsBlock bool
	// ESXiBuilder is the builder for vmware_esxi boxes: "vmware-iso" with remote_type "esx5" on
	// Packer 1.6, "vsphere-iso" from 1.7 on, because the VMware plugin dropped esx5 in v2.
	ESXiBuilder string
	// BoxArchitecture says whether the vagrant post-processor takes an `architecture`; only
	// the external vagrant plugin has it.
	BoxArchitecture bool
	// Reason is one line for humans: which version, which consequences.
	Reason string
}

// pluginsFrom is the first Packer release that loads builders from external plugins and
// understands required_plugins.
var pluginsFrom = version.Must(version.NewVersion("1.7.0"))

// Plugin versions the modern variant requires. The VMware plugin is pinned at v2 or later on
// purpose: that is the line that removed esx5, which is why ESXi goes through vsphere-iso.
var modernPlugins = []plugin{
	{Name: "qemu", Source: "github.com/hashicorp/qemu", Version: ">= 1.1.0"},
	{Name: "vagrant", Source: "github.com/hashicorp/vagrant", Version: ">= 1.1.0"},
	{Name: "virtualbox", Source: "github.com/hashicorp/virtualbox", Version: ">= 1.0.5"},
	{Name: "vmware", Source: "github.com/hashicorp/vmware", Version: ">= 2.0.0"},
	{Name: "vsphere", Source: "github.com/hashicorp/vsphere", Version: ">= 1.4.0"},
}

type plugin struct{ Name, Source, Version string }

// ChooseVariant decides the template shape for the installed Packer. A nil version is an
// error: guessing would render a template the installed Packer may reject.
func ChooseVariant(v *version.Version) (Variant, error) {
	if v == nil {
		return Variant{}, fmt.Errorf("no Packer version given: run 'packer version' first")
	}
	if v.LessThan(pluginsFrom) {
		return Variant{
			Name:          "packer-1.6",
			PackerVersion: v.String(),
			ESXiBuilder:   "vmware-iso",
			Reason: fmt.Sprintf("packer %s < 1.7: no required_plugins block (builders are built in); "+
				"ESXi via vmware-iso remote_type=esx5", v),
		}, nil
	}
	return Variant{
		Name:            "packer-1.7+",
		PackerVersion:   v.String(),
		PluginsBlock:    true,
		ESXiBuilder:     "vsphere-iso",
		BoxArchitecture: true,
		Reason: fmt.Sprintf("packer %s >= 1.7: required_plugins block naming each build's builder plugin and vagrant; "+
			"ESXi via vsphere-iso (the VMware plugin >= v2 dropped esx5)", v),
	}, nil
}
