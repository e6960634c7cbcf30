package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/boxbuild/boxbuild/internal/config"
)

// renderOne writes one build folder and describes it.
func renderOne(ws *config.Workspace, t *templates, b *config.Box, provider, arch string, v Variant, out string, test bool) (*Result, error) {
	d, _, err := newData(ws, b, provider, arch, v, test)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{} // relative path → content: everything the folder will hold

	secrets, missing := map[string]*Var{}, map[string]bool{}
	base := []string{hclString("PROVIDER=" + provider), hclString("BOX_NAME=" + b.Name), `"BOX_VERSION=${var.box_version}"`}
	scripts := b.Provisions
	if test {
		scripts = b.Tests
	}
	bodies := make([][]byte, len(scripts))
	for i, s := range scripts {
		if bodies[i], err = os.ReadFile(filepath.Join(ws.Dir, filepath.FromSlash(s.Path))); err != nil {
			return nil, fmt.Errorf("provisioning script: %w", err)
		}
		if d.Library == nil && bytes.Contains(bodies[i], []byte(libraryEnv)) {
			lib, err := os.ReadFile(filepath.Join(ws.Dir, filepath.FromSlash(LibraryFile)))
			if err != nil {
				return nil, fmt.Errorf("%s sources boxbuild's shell library: %w", s.Path, err)
			}
			d.Library = &library{Script: libraryScript, Guest: GuestLibrary}
			files[libraryScript] = lib
			base = append(base, hclString(libraryEnv+"="+GuestLibrary))
		}
	}
	for i, s := range scripts {
		body := bodies[i]
		env, err := scriptEnv(s, secrets, missing)
		if err != nil {
			return nil, err
		}
		name := scriptName(i, s.Path)
		files[name] = body
		d.Provisioners = append(d.Provisioners, provisioner{Script: name, Env: append(slices.Clone(base), env...)})
	}
	if d.HTTP {
		hf, err := t.httpFiles(d.OS)
		if err != nil {
			return nil, err
		}
		for p, body := range hf {
			files[path.Join(httpDir, p)] = body
		}
	}
	d.Vars = declaredVars(ws, b, d, secrets)

	src, err := t.execute(path.Join(sourcesDir, d.Builder+".pkr.hcl.tmpl"), d)
	if err != nil {
		return nil, err
	}
	main, err := t.execute(mainTemplate, struct {
		*data
		SourceBlock string
	}{d, src})
	if err != nil {
		return nil, err
	}
	files[TemplateFile] = []byte(main)

	dir, err := filepath.Abs(filepath.Join(out, b.Name, provider+"-"+arch))
	if err != nil {
		return nil, err
	}
	r := &Result{
		Box: b.Name, Provider: provider, Arch: arch, Dir: dir, Template: filepath.Join(dir, TemplateFile),
		Builder: d.Builder, Source: d.Source, Parent: b.From, BoxProvider: d.BoxProvider, Variant: v,
		Artifact: artifactName(d), Vars: d.Vars, Missing: slices.Sorted(maps.Keys(missing)),
	}
	var manifest strings.Builder
	for _, p := range slices.Sorted(maps.Keys(files)) {
		sum := sha256.Sum256(files[p])
		r.Inputs = append(r.Inputs, Input{Path: p, SHA256: hex.EncodeToString(sum[:])})
		fmt.Fprintf(&manifest, "%s  %s\n", r.Inputs[len(r.Inputs)-1].SHA256, p)
	}
	if err := writeFolder(dir, files, manifest.String()); err != nil {
		return nil, err
	}
	return r, nil
}

// The shell library (provision/lib/boxbuild.sh) holds what scripts share, apt_install first.
// Packer uploads each script on its own, so a build whose scripts name BOXBUILD_LIB also
// uploads the library once, before them, and tells every script where it is; builds whose
// scripts do not use it do not carry it, and a change to it rebuilds only the boxes that do.
const (
	LibraryFile   = "provision/lib/boxbuild.sh" // in the workspace
	GuestLibrary  = "/tmp/boxbuild-lib.sh"      // in the guest, removed after the last script
	libraryEnv    = "BOXBUILD_LIB"
	libraryScript = "scripts/lib/boxbuild.sh" // in the build folder
)

// manifestFile lists the folder's files with their hashes; written last, it marks the folder
// complete.
const manifestFile = ".boxbuild-render"

// writeFolder makes dir hold exactly files. A folder whose manifest already matches is left
// alone: rewriting hundreds of unchanged folders is most of a no-op run's time. Otherwise
// it starts clean, so a script dropped from the box does not linger in scripts/.
func writeFolder(dir string, files map[string][]byte, manifest string) error {
	mpath := filepath.Join(dir, manifestFile)
	if old, err := os.ReadFile(mpath); err == nil && string(old) == manifest {
		return nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("clear %s: %w", dir, err)
	}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if path.Dir(p) == "scripts" {
			mode = 0o755
		}
		if err := os.WriteFile(dst, files[p], mode); err != nil {
			return fmt.Errorf("write %s: %w", dst, err)
		}
	}
	return os.WriteFile(mpath, []byte(manifest), 0o644)
}

// artifactName is the file in output_dir that a derived box starts from.
func artifactName(d *data) string {
	switch d.Builder {
	case "qemu":
		return d.VMName + ".qcow2"
	case "virtualbox-iso", "virtualbox-ovf":
		return d.VMName + ".ovf"
	case "vmware-iso", "vmware-vmx":
		if d.Provider == "vmware_desktop" {
			return d.VMName + ".vmx"
		}
	}
	return "" // ESXi: the parent VM stays on the host
}

// declaredVars lists the Packer variables the template declares, sorted by name.
func declaredVars(ws *config.Workspace, b *config.Box, d *data, secrets map[string]*Var) []*Var {
	vars := []*Var{
		{Name: VarOutputDir, Description: "Packer's output directory for this build", Runtime: true},
		{Name: VarBoxVersion, Description: "version of the box being built", Runtime: true},
	}
	if !d.Test {
		vars = append(vars, &Var{Name: VarBoxOutput, Description: "path of the .box the vagrant post-processor writes", Runtime: true})
	}
	img := &Var{Name: VarBaseImage, Description: "what the build starts from", Runtime: true}
	sum := &Var{Name: VarBaseImageChecksum, Description: "checksum of base_image", Runtime: true}
	switch d.Source {
	case kindISO, kindImage: // the workspace names it; the engine may pass its cached copy
		img.Default, sum.Default = ptr(b.Source.URL), ptr(b.Source.Checksum)
	case kindBootstrap:
		img.Description = "the base disk mmdebstrap made (qcow2)"
	case kindFrom:
		img.Description = "the parent box's built artifact (" + b.From + ")"
		if d.Test {
			img.Description = "the built disk of this box, booted to run its tests"
		}
	}
	vars = append(vars, img)
	if d.Builder != "vmware-vmx" && d.Builder != "vsphere-clone" { // they take no checksum
		vars = append(vars, sum)
	}
	if d.Builder == "qemu" {
		vars = append(vars, &Var{Name: VarAccelerator, Description: "QEMU accelerator: tcg, or kvm when /dev/kvm exists", Default: ptr("tcg"), Runtime: true})
		if d.DiskImage {
			vars = append(vars, &Var{Name: VarBaseImageSize, Description: "virtual size of base_image, e.g. 2048M: the box's metadata reports it", Runtime: true})
		}
	}
	if d.Provider == "vmware_esxi" {
		vars = append(vars, esxiVars(ws)...)
	}
	for _, s := range secrets {
		vars = append(vars, s)
	}
	slices.SortFunc(vars, func(a, b *Var) int { return strings.Compare(a.Name, b.Name) })
	return vars
}
