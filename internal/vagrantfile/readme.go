package vagrantfile

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"text/template"

	"github.com/boxbuild/boxbuild/internal/config"
)

//go:embed README.md.tmpl
var readmeText string

var readmeTmpl = template.Must(template.New("README.md").Option("missingkey=error").Parse(readmeText))

// README renders the short README.md that goes next to a course's Vagrantfile.
func README(d *Data) ([]byte, error) {
	var buf bytes.Buffer
	if err := readmeTmpl.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("README for %s: %w", d.Title, err)
	}
	return buf.Bytes(), nil
}

// WriteSemester writes dir/<course>/Vagrantfile and dir/<course>/README.md for every course
// of s, and returns the folders written. Everything is rendered first, so a bad template or
// course leaves dir untouched.
func WriteSemester(ws *config.Workspace, s *config.Semester, t *Template, dir string, o Options) ([]string, error) {
	type files struct{ vagrantfile, readme []byte }
	rendered := make([]files, len(s.Courses))
	for i, c := range s.Courses {
		d, err := ForCourse(ws, s, c, o)
		if err != nil {
			return nil, err
		}
		if rendered[i].vagrantfile, err = t.Render(d); err != nil {
			return nil, fmt.Errorf("course %s: %w", c.Name, err)
		}
		if rendered[i].readme, err = README(d); err != nil {
			return nil, err
		}
	}
	var dirs []string
	for i, c := range s.Courses {
		cd := filepath.Join(dir, c.Name)
		if err := os.MkdirAll(cd, 0o755); err != nil {
			return dirs, err
		}
		if err := os.WriteFile(filepath.Join(cd, "Vagrantfile"), rendered[i].vagrantfile, 0o644); err != nil {
			return dirs, err
		}
		if err := os.WriteFile(filepath.Join(cd, "README.md"), rendered[i].readme, 0o644); err != nil {
			return dirs, err
		}
		dirs = append(dirs, cd)
	}
	return dirs, nil
}
