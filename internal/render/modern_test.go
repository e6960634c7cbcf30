package render

import (
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestModernTemplatesParse checks the Packer >= 1.7 variant, which no Packer installable here
// can validate (1.10+ is under the BUSL and not packaged): every template must parse as HCL,
// open with a packer block whose required_plugins name the builder's plugin and vagrant, and
// build ESXi boxes with vsphere. The 1.6 templates are parsed too and must have no packer block.
func TestModernTemplatesParse(t *testing.T) {
	forEachPacker(t, testWorkspace(t), func(pv *version.Version, opts Options, res []*Result) {
		for _, r := range res {
			t.Run(pv.String()+"/"+r.Box+"_"+r.Provider, func(t *testing.T) {
				src, err := os.ReadFile(r.Template)
				if err != nil {
					t.Fatal(err)
				}
				f, diags := hclsyntax.ParseConfig(src, r.Template, hcl.InitialPos)
				if diags.HasErrors() {
					t.Fatalf("%s does not parse: %s", r.Template, diags.Error())
				}
				body := f.Body.(*hclsyntax.Body)
				var plugins []string
				var sources []string
				for _, b := range body.Blocks {
					switch b.Type {
					case "packer":
						for _, rp := range b.Body.Blocks {
							if rp.Type == "required_plugins" {
								for name := range rp.Body.Attributes {
									plugins = append(plugins, name)
								}
							}
						}
					case "source":
						sources = append(sources, b.Labels[0])
					}
				}
				slices.Sort(plugins)
				if diff := cmp.Diff([]string{r.Builder}, sources); diff != "" {
					t.Errorf("source blocks (-want +got):\n%s", diff)
				}
				esxiOK := r.Builder == "vmware-iso" || r.Builder == "vmware-vmx"
				if opts.Packer == packer1112 {
					esxiOK = r.Builder == "vsphere-iso" || r.Builder == "vsphere-clone"
				}
				if r.Provider == "vmware_esxi" && !esxiOK {
					t.Errorf("ESXi box for packer %s uses builder %s", pv, r.Builder)
				}
				var want []string
				if opts.Packer == packer1112 {
					want = []string{pluginOf(r.Builder), "vagrant"}
					slices.Sort(want)
				}
				if diff := cmp.Diff(want, plugins); diff != "" {
					t.Errorf("required_plugins (-want +got):\n%s", diff)
				}
			})
		}
	})
}

// pluginOf is the plugin each builder lives in, written out here rather than derived from
// the code under test.
func pluginOf(builder string) string {
	return map[string]string{
		"qemu": "qemu", "virtualbox-iso": "virtualbox", "virtualbox-ovf": "virtualbox",
		"vmware-iso": "vmware", "vmware-vmx": "vmware", "vsphere-iso": "vsphere", "vsphere-clone": "vsphere",
	}[builder]
}
