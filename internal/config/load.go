package config

import (
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// Options are the inputs to Load beyond the workspace folder.
type Options struct {
	Vars     map[string]string // -var name=value; wins over everything else
	VarFiles []string          // -var-file paths, relative to the current folder
	Env      []string          // environment for BOXBUILD_VAR_<name>; nil means os.Environ()
}

// The workspace's fixed layout.
const (
	WorkspaceFile = "boxbuild.hcl"
	BoxesDir      = "boxes"
	SemestersDir  = "semesters"
	ProvisionDir  = "provision"
	TestsDir      = "tests"
)

// Load reads and validates the workspace in dir. It returns every problem it finds, not just
// the first; the model is nil when there are errors. Files maps each parsed file's name to its
// source, for printing diagnostics with snippets.
func Load(dir string, opts Options) (*Workspace, map[string]*hcl.File, hcl.Diagnostics) {
	l := &loader{parser: hclparse.NewParser(), opts: opts}
	ws, diags := l.load(dir)
	if diags.HasErrors() {
		ws = nil
	}
	return ws, l.parser.Files(), diags
}

type loader struct {
	parser *hclparse.Parser
	opts   Options
	ws     *Workspace
	vars   *varScope
}

func (l *loader) load(dir string) (*Workspace, hcl.Diagnostics) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, hcl.Diagnostics{errorf(nil, "Invalid workspace folder", "%v", err)}
	}
	l.ws = &Workspace{Dir: abs}

	// boxbuild.hcl first, and inside it required_version before anything else: an old
	// boxbuild then says "too old" instead of tripping over syntax it does not know yet.
	wsFile, diags := l.parse(WorkspaceFile)
	if diags.HasErrors() {
		return nil, diags
	}
	if d := checkRequiredVersion(wsFile.Body); d.HasErrors() {
		return nil, append(diags, d...)
	}

	boxFiles, d := l.parseDir(BoxesDir, true)
	diags = append(diags, d...)
	semFiles, d := l.parseDir(SemestersDir, false)
	diags = append(diags, d...)
	if diags.HasErrors() {
		return nil, diags
	}

	// Split every file into its top-level blocks; variables come first because boxes and
	// semesters may refer to them.
	var blocks []*fileBlocks
	blocks = append(blocks, l.topLevel(wsFile, WorkspaceFile, workspaceFileSchema, &diags))
	for _, f := range boxFiles {
		blocks = append(blocks, l.topLevel(f.file, f.name, boxFileSchema, &diags))
	}
	for _, f := range semFiles {
		blocks = append(blocks, l.topLevel(f.file, f.name, semesterFileSchema, &diags))
	}

	diags = append(diags, l.decodeWorkspaceSettings(blocks[0].content)...)
	diags = append(diags, l.decodeVariables(blocks)...)
	for _, fb := range blocks {
		for _, b := range fb.content.Blocks {
			switch b.Type {
			case "box":
				box, d := l.decodeBox(b, fb.name)
				diags = append(diags, d...)
				if box != nil {
					l.ws.Boxes = append(l.ws.Boxes, box)
				}
			case "semester":
				sem, d := l.decodeSemester(b, fb.name)
				diags = append(diags, d...)
				if sem != nil {
					l.ws.Semesters = append(l.ws.Semesters, sem)
				}
			}
		}
	}
	// Cross-box checks run even after errors in single blocks, so one run reports everything.
	diags = append(diags, l.checkBoxes()...)
	diags = append(diags, l.checkSemesters()...)
	sort.Slice(l.ws.Boxes, func(i, j int) bool { return l.ws.Boxes[i].Name < l.ws.Boxes[j].Name })
	sort.SliceStable(l.ws.Semesters, func(i, j int) bool { return l.ws.Semesters[i].Starts.Before(l.ws.Semesters[j].Starts) })
	return l.ws, diags
}

type namedFile struct {
	name string // workspace-relative, slash-separated
	file *hcl.File
}

// parse reads one workspace-relative file. Diagnostics carry that relative name, so the
// output is the same wherever the workspace lives.
func (l *loader) parse(rel string) (*hcl.File, hcl.Diagnostics) {
	src, err := os.ReadFile(filepath.Join(l.ws.Dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, hcl.Diagnostics{errorf(nil, "Cannot read "+rel, "%v", err)}
	}
	return l.parser.ParseHCL(src, rel)
}

// parseDir parses every *.hcl file in a workspace folder, in name order.
func (l *loader) parseDir(rel string, required bool) ([]namedFile, hcl.Diagnostics) {
	matches, _ := filepath.Glob(filepath.Join(l.ws.Dir, rel, "*.hcl"))
	sort.Strings(matches)
	if len(matches) == 0 && required {
		return nil, hcl.Diagnostics{errorf(nil, "No box definitions",
			"The workspace has no %s/*.hcl files; add one with at least one box block.", rel)}
	}
	var out []namedFile
	var diags hcl.Diagnostics
	for _, m := range matches {
		name := rel + "/" + filepath.Base(m)
		f, d := l.parse(name)
		diags = append(diags, d...)
		if f != nil {
			out = append(out, namedFile{name, f})
		}
	}
	return out, diags
}

type fileBlocks struct {
	name    string
	content *hcl.BodyContent
}

func (l *loader) topLevel(f *hcl.File, name string, schema *hcl.BodySchema, diags *hcl.Diagnostics) *fileBlocks {
	content, d := f.Body.Content(schema)
	*diags = append(*diags, d...)
	return &fileBlocks{name: name, content: content}
}
