package render

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/boxbuild/boxbuild/internal/config"
)

// Packer variables whose values change per build run. The template declares them; the build
// engine passes them (see Result.PackerArgs), so none of these is ever baked into a file.
const (
	VarBaseImage         = "base_image"          // the disk or ISO the build starts from
	VarBaseImageChecksum = "base_image_checksum" // its checksum, "sha256:…" or "file:…"
	VarBaseImageSize     = "base_image_size"     // qemu disk images: the real virtual size, e.g. "2048M"
	VarOutputDir         = "output_dir"          // Packer's output_directory; must not exist
	VarBoxOutput         = "box_output"          // where the vagrant post-processor writes the .box
	VarBoxVersion        = "box_version"         // the version being built, e.g. "2.1.3"
	VarAccelerator       = "accelerator"         // qemu: "tcg" (default) or "kvm"
)

// Var is one Packer variable a rendered template declares.
type Var struct {
	Name        string
	Description string
	Default     *string // the default written in the template, nil when it has none
	Sensitive   bool    // declared `sensitive = true`; passed only as PKR_VAR_<Name>
	Runtime     bool    // the build engine supplies it per run (the Var… constants)
	Value       string  // the workspace's value (HasValue), never written into a file
	HasValue    bool
}

func ptr(s string) *string { return &s }

// packerName matches what Packer accepts as a variable name (an HCL identifier).
var packerName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// reserved are the names render declares itself; a workspace variable of the same name used
// as a secret would be ambiguous, so it is refused.
var reserved = []string{VarBaseImage, VarBaseImageChecksum, VarBaseImageSize, VarOutputDir,
	VarBoxOutput, VarBoxVersion, VarAccelerator}

// scriptEnv turns a script's environment into environment_vars entries (HCL expressions,
// sorted by name) and the sensitive Packer variables they reference. A non-sensitive value is
// written literally; a sensitive one only as ${var.<name>}.
func scriptEnv(s *config.Script, secrets map[string]*Var, missing map[string]bool) ([]string, error) {
	env := slices.Clone(s.Env)
	slices.SortFunc(env, func(a, b config.EnvVar) int { return strings.Compare(a.Name, b.Name) })
	var out []string
	for _, e := range env {
		if strings.Contains(e.Name, "=") || e.Name == "" {
			return nil, fmt.Errorf("%s: bad environment variable name %q", s.Path, e.Name)
		}
		if e.Missing {
			missing[cmp.Or(e.Variable, e.Name)] = true
		}
		if !e.Sensitive {
			out = append(out, hclString(e.Name+"="+e.Value))
			continue
		}
		name := e.Variable
		if name == "" {
			name = strings.ToLower(e.Name)
		}
		if !packerName.MatchString(name) || slices.Contains(reserved, name) || strings.HasPrefix(name, "esxi_") {
			return nil, fmt.Errorf("%s: sensitive variable %q cannot be a Packer variable (reserved or not an identifier)", s.Path, name)
		}
		if prev, ok := secrets[name]; ok && prev.Value != e.Value {
			return nil, fmt.Errorf("%s: sensitive variable %q has two different values", s.Path, name)
		}
		secrets[name] = &Var{Name: name, Description: "sensitive workspace variable, passed as PKR_VAR_" + name,
			Sensitive: true, Value: e.Value, HasValue: true}
		out = append(out, `"`+hclEscape(e.Name)+`=${var.`+name+`}"`)
	}
	return out, nil
}

// esxiVars are the connection settings of an ESXi build. Their values come from workspace
// variables of the same name when the workspace defines them, else from PKR_VAR_<name> in the
// environment of whoever runs the build; the password is always sensitive.
func esxiVars(ws *config.Workspace) []*Var {
	vars := []*Var{
		{Name: "esxi_host", Description: "ESXi host name or address"},
		{Name: "esxi_username", Description: "ESXi user", Default: ptr("root")},
		{Name: "esxi_password", Description: "ESXi password (sensitive, PKR_VAR_esxi_password)", Sensitive: true},
		{Name: "esxi_datastore", Description: "datastore the VM is built on", Default: ptr("datastore1")},
		{Name: "esxi_network", Description: "port group the VM is attached to", Default: ptr("VM Network")},
	}
	for _, v := range vars {
		for _, w := range ws.Variables {
			if w.Name == v.Name && w.Set {
				v.Value, v.HasValue = w.Value, true
				v.Sensitive = v.Sensitive || w.Sensitive
			}
		}
	}
	return vars
}
