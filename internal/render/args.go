package render

import (
	"fmt"
	"sort"
)

// RunVars are the values that change per build run; the build engine fills them in.
type RunVars struct {
	BaseImage         string // local path (or URL) of what the build starts from; "" keeps the template's default
	BaseImageChecksum string // "sha256:…"; "" keeps the template's default
	BaseImageSize     string // qemu disk images: real virtual size, e.g. "2048M"
	OutputDir         string // must not exist yet (packer -force removes an old one)
	BoxOutput         string // <stateDir>/out/<box>/<version>/<provider>-<arch>.box
	BoxVersion        string // e.g. "2.1.3"
	Accelerator       string // qemu: "kvm" when /dev/kvm exists; "" keeps "tcg"
}

func (rv RunVars) value(name string) string {
	switch name {
	case VarBaseImage:
		return rv.BaseImage
	case VarBaseImageChecksum:
		return rv.BaseImageChecksum
	case VarBaseImageSize:
		return rv.BaseImageSize
	case VarOutputDir:
		return rv.OutputDir
	case VarBoxOutput:
		return rv.BoxOutput
	case VarBoxVersion:
		return rv.BoxVersion
	case VarAccelerator:
		return rv.Accelerator
	}
	return ""
}

// PackerArgs returns what to add to `packer build` for this folder: `-var name=value` flags
// for non-sensitive values, and PKR_VAR_<name>=value entries for the child's environment for
// sensitive ones, so a secret never appears on a command line, in a log of the command, or in
// a file. A runtime variable without a template default must be given.
func (r *Result) PackerArgs(rv RunVars) (args, env []string, err error) {
	if len(r.Missing) > 0 {
		return nil, nil, fmt.Errorf("%s/%s: variable %s has no value (set it with -var %s=… or BOXBUILD_VAR_%s)",
			r.Box, r.Provider, r.Missing[0], r.Missing[0], r.Missing[0])
	}
	for _, v := range r.Vars {
		val, ok := v.Value, v.HasValue
		if v.Runtime {
			val = rv.value(v.Name)
			ok = val != ""
			if !ok && v.Default == nil {
				return nil, nil, fmt.Errorf("%s/%s: variable %s must be set for this build", r.Box, r.Provider, v.Name)
			}
		}
		if !ok {
			continue // the template default, or PKR_VAR_<name> already in the caller's environment
		}
		if v.Sensitive {
			env = append(env, "PKR_VAR_"+v.Name+"="+val)
		} else {
			args = append(args, "-var", v.Name+"="+val)
		}
	}
	sort.Strings(env)
	return args, env, nil
}
