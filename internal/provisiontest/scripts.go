package provisiontest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ScriptDirs are the workspace folders whose *.sh files are checked; a script added to any of
// them is covered without touching the tests.
var ScriptDirs = []string{"provision", "tests"}

// RepoRoot walks up from the working directory to the folder holding go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find repository root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("find repository root: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Scripts lists every *.sh under ScriptDirs in root, as sorted slash-separated paths relative to
// root (e.g. "provision/db/mariadb.sh").
func Scripts(root string) ([]string, error) {
	var out []string
	for _, dir := range ScriptDirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && strings.HasSuffix(d.Name(), ".sh") {
				rel, err := filepath.Rel(root, path)
				if err != nil {
					return err
				}
				out = append(out, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list scripts in %s: %w", dir, err)
		}
	}
	sort.Strings(out)
	return out, nil
}
