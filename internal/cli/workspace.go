package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild/internal/config"
)

// WorkspaceFile marks a workspace's top folder.
const WorkspaceFile = "boxbuild.hcl"

// varFlags are the -var/-var-file flags of every command that loads a workspace.
type varFlags struct {
	vars     map[string]string
	varFiles []string
}

func (v *varFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringToStringVar(&v.vars, "var", nil, "set a workspace variable (`name=value`, repeatable)")
	cmd.Flags().StringArrayVar(&v.varFiles, "var-file", nil, "read variables from an HCL `file` (repeatable)")
}

// workspaceDir finds the workspace: -C DIR, or the nearest folder at or above the current one
// that holds boxbuild.hcl.
func (g *Globals) workspaceDir() (string, error) {
	start := g.Chdir
	if start == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		start = wd
	}
	start, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for dir := start; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, WorkspaceFile)); err == nil {
			return dir, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no %s in %s or any folder above it (run 'boxbuild init' or use -C DIR)", WorkspaceFile, start)
		}
	}
}

// loadWorkspace finds, loads and validates the workspace. Diagnostics are printed here, in the
// one place that prints them; warnings alone do not fail.
func (g *Globals) loadWorkspace(v *varFlags) (*config.Workspace, error) {
	ws, _, diags, err := g.loadWorkspaceDiags(v)
	if err != nil {
		return nil, err
	}
	if len(diags) > 0 && (diags.HasErrors() || !g.Quiet) {
		g.printDiags(diags, nil)
	}
	if diags.HasErrors() {
		return nil, errReported
	}
	return ws, nil
}

func (g *Globals) loadWorkspaceDiags(v *varFlags) (*config.Workspace, map[string]*hcl.File, hcl.Diagnostics, error) {
	dir, err := g.workspaceDir()
	if err != nil {
		return nil, nil, nil, err
	}
	opts := config.Options{}
	if v != nil {
		opts.Vars, opts.VarFiles = v.vars, v.varFiles
	}
	ws, files, diags := config.Load(dir, opts)
	if ws != nil {
		diags = append(diags, buildableDiags(context.Background(), ws)...)
	}
	g.files = files
	return ws, files, diags, nil
}
