package render

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/boxbuild/boxbuild/internal/config"
)

// The template pieces, relative to the workspace's packer/ folder.
const (
	mainTemplate = "box.pkr.hcl.tmpl"
	sourcesDir   = "sources" // sources/<builder>.pkr.hcl.tmpl: the source block per builder
	httpDir      = "http"    // http/<os>/…: served to the installer as Packer's http_directory
)

// templates are the parsed pieces plus the folder they came from, for copying http files.
type templates struct {
	set *template.Template
	fs  fs.FS
}

// loadTemplates parses every *.tmpl under packer/ into one set, named by relative path, so a
// piece can call a `define` from another (the boot commands live in boot.pkr.hcl.tmpl).
func loadTemplates(ws *config.Workspace, fsys fs.FS) (*templates, error) {
	where := "the embedded templates"
	if fsys == nil {
		dir := filepath.Join(ws.Dir, "packer")
		if _, err := os.Stat(filepath.Join(dir, mainTemplate)); err != nil {
			return nil, fmt.Errorf("workspace has no packer/%s (boxbuild init writes the defaults): %w", mainTemplate, err)
		}
		fsys, where = os.DirFS(dir), dir
	}
	set := template.New("packer").Option("missingkey=error").Funcs(funcs)
	err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".tmpl") {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if _, err := set.New(p).Parse(string(b)); err != nil {
			return fmt.Errorf("packer/%s: %w", p, err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read templates from %s: %w", where, err)
	}
	if set.Lookup(mainTemplate) == nil {
		return nil, fmt.Errorf("%s has no %s", where, mainTemplate)
	}
	return &templates{set: set, fs: fsys}, nil
}

// execute runs one named piece; a missing piece names the file a maintainer would add.
func (t *templates) execute(name string, d any) (string, error) {
	tp := t.set.Lookup(name)
	if tp == nil {
		return "", fmt.Errorf("no template packer/%s", name)
	}
	var b bytes.Buffer
	if err := tp.Execute(&b, d); err != nil {
		return "", fmt.Errorf("packer/%s: %w", name, err)
	}
	return b.String(), nil
}

// httpFiles returns the files under packer/http/<os>/, keyed by their path below that folder.
func (t *templates) httpFiles(osName string) (map[string][]byte, error) {
	root := path.Join(httpDir, osName)
	out := map[string][]byte{}
	err := fs.WalkDir(t.fs, root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := fs.ReadFile(t.fs, p)
		if err != nil {
			return err
		}
		out[strings.TrimPrefix(p, root+"/")] = b
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) || (err == nil && len(out) == 0) {
		return nil, fmt.Errorf("no unattended-install files in packer/%s", root)
	}
	return out, err
}

// funcs are the helpers templates may call.
var funcs = template.FuncMap{
	// hcl quotes a value as an HCL string, escaping ${ and %{.
	"hcl": hclString,
	// packer writes one of Packer's own template references, e.g. {{ packer "HTTPIP" }} →
	// {{ .HTTPIP }}, which text/template would otherwise try to expand itself.
	"packer": func(field string) string { return "{{ ." + field + " }}" },
	// mb formats MiB the way the qemu builder's disk_size wants it.
	"mb": func(n int) string { return fmt.Sprintf("%dM", n) },
}
