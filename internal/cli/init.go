package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild"
)

func init() { register(newInitCmd) }

// gitignore keeps build state and the local catalog out of a new workspace's history.
const gitignore = "/.boxbuild/\n/catalog/\n"

func newInitCmd(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a workspace with the default boxes, scripts and templates",
		Long: "Writes a complete, valid workspace into DIR (default: the current folder): boxbuild.hcl,\n" +
			"boxes/, semesters/, provision/, tests/, packer/ and Vagrantfile.tmpl. Refuses to overwrite\n" +
			"an existing workspace.",
		Args: maxArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(g, dir)
		},
	}
}

func runInit(g *Globals, dir string) error {
	if _, err := os.Stat(filepath.Join(dir, WorkspaceFile)); err == nil {
		return fmt.Errorf("%s already holds a workspace (%s); nothing was changed", dir, WorkspaceFile)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	// Refuse before writing anything when any file would be overwritten, so a failed init
	// leaves the folder as it was.
	var files []string
	err := fs.WalkDir(boxbuild.Workspace, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p))); err == nil {
			return fmt.Errorf("%s already exists in %s; init writes only into an empty or new folder", p, dir)
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range files {
		data, err := boxbuild.Workspace.ReadFile(p)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(p, ".sh") {
			mode = 0o755
		}
		if err := writeNew(filepath.Join(dir, filepath.FromSlash(p)), data, mode); err != nil {
			return err
		}
	}
	if err := writeNew(filepath.Join(dir, ".gitignore"), []byte(gitignore), 0o644); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if !g.Quiet {
		fmt.Fprintf(g.Stderr, "Wrote a workspace with %d files to %s. Next: boxbuild -C %s validate\n", len(files), dir, dir)
	}
	fmt.Fprintln(g.Stdout, dir)
	return nil
}

func writeNew(path string, data []byte, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
