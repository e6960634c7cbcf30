package vagrantfile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/boxbuild/boxbuild"
	"github.com/boxbuild/boxbuild/internal/config"
)

// TemplateFile is the workspace's template, at the workspace's top.
const TemplateFile = "Vagrantfile.tmpl"

// DefaultTemplate is used when a workspace has no Vagrantfile.tmpl: the repository's own
// Vagrantfile.tmpl, the one `boxbuild init` writes into a new workspace.
var DefaultTemplate = mustRead(boxbuild.Workspace, TemplateFile)

func mustRead(fsys fs.FS, name string) string {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		panic(err) // the embed pattern names the file: the build would have failed first
	}
	return string(b)
}

// Template is a parsed Vagrantfile template.
type Template struct {
	t    *template.Template
	Path string // where it came from: a file, or "(built-in)"
}

// Parse parses text; name appears in errors with the line, e.g. "Vagrantfile.tmpl:12: …".
func Parse(name, text string) (*Template, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(funcs).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("template %s", trimPrefix(err))
	}
	return &Template{t: t, Path: name}, nil
}

// Load parses the workspace's Vagrantfile.tmpl, or the built-in default when there is none.
func Load(ws *config.Workspace) (*Template, error) {
	path := filepath.Join(ws.Dir, TemplateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t, err := Parse("(built-in "+TemplateFile+")", DefaultTemplate)
		if t != nil {
			t.Path = "(built-in)"
		}
		return t, err
	}
	if err != nil {
		return nil, fmt.Errorf("read Vagrantfile template: %w", err)
	}
	t, err := Parse(TemplateFile, string(b))
	if t != nil {
		t.Path = path
	}
	return t, err
}

// Render executes the template with d.
func (t *Template) Render(d *Data) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.t.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("template %s", trimPrefix(err))
	}
	out := bytes.TrimLeft(buf.Bytes(), "\n")
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return out, nil
}

// trimPrefix drops text/template's "template: " so the message starts with "file:line".
func trimPrefix(err error) string {
	return strings.TrimPrefix(err.Error(), "template: ")
}

var funcs = template.FuncMap{
	"ruby":    rubyString,
	"comment": oneLine,
	"fail":    func(msg string) (string, error) { return "", errors.New(msg) },
}

// rubyString quotes s as a Ruby double-quoted literal. '#' is escaped too, so nothing in a
// name or description can start an interpolation like #{…}.
func rubyString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r == '#':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
