package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/vagrantfile"
)

func init() { register(newVagrantfileCmd) }

type vagrantfileOptions struct {
	vars     varFlags
	semester string
	provider string
	catalog  string
	output   string
	all      bool
}

func newVagrantfileCmd(g *Globals) *cobra.Command {
	o := &vagrantfileOptions{}
	cmd := &cobra.Command{
		Use:   "vagrantfile COURSE|BOX",
		Short: "Write the Vagrantfile students use for a course or a box",
		Long: "Renders the workspace's Vagrantfile.tmpl. For a course, the box is pinned to the course's\n" +
			"version constraint and comes from the semester's view of the catalog; for a box, any rebuild\n" +
			"of its current series. With --all --semester S -o DIR, writes DIR/<course>/Vagrantfile and a\n" +
			"README.md for every course of the semester.",
		Example: "  boxbuild vagrantfile m151 --semester HS26 -o Vagrantfile\n" +
			"  boxbuild vagrantfile lamp --provider virtualbox\n" +
			"  boxbuild vagrantfile --all --semester HS26 -o handout",
		Args: func(cmd *cobra.Command, args []string) error {
			if o.all {
				if len(args) != 0 {
					return usageErrorf("--all takes no COURSE or BOX argument")
				}
				if o.semester == "" || o.output == "" {
					return usageErrorf("--all needs --semester S and -o DIR")
				}
				return nil
			}
			return exactArgs(1)(cmd, args)
		},
		RunE: func(_ *cobra.Command, args []string) error { return runVagrantfile(g, o, args) },
	}
	o.vars.register(cmd)
	f := cmd.Flags()
	f.StringVar(&o.semester, "semester", "", "the `semester` of the course (default: the running one)")
	f.StringVar(&o.provider, "provider", "", "write only this `provider`'s block (default: every provider the box is built for)")
	f.StringVar(&o.catalog, "catalog", "", "the catalog `name` students get the box from (default: the first in boxbuild.hcl)")
	f.StringVarP(&o.output, "output", "o", "", "write to `file` (with --all: a folder) instead of stdout")
	f.BoolVar(&o.all, "all", false, "one folder per course of --semester, under -o DIR")
	return cmd
}

func runVagrantfile(g *Globals, o *vagrantfileOptions, args []string) error {
	ws, err := g.loadWorkspace(&o.vars)
	if err != nil {
		return err
	}
	vo := vagrantfile.Options{Provider: o.provider}
	if o.catalog != "" {
		if vo.Catalog = ws.Catalog(o.catalog); vo.Catalog == nil {
			return usageErrorf("no catalog %q in %s", o.catalog, config.WorkspaceFile)
		}
	}
	tmpl, err := vagrantfile.Load(ws)
	if err != nil {
		return err
	}
	if o.all {
		s := ws.Semester(o.semester)
		if s == nil {
			return fmt.Errorf("no semester %q in the workspace", o.semester)
		}
		dirs, err := vagrantfile.WriteSemester(ws, s, tmpl, o.output, vo)
		for _, d := range dirs {
			fmt.Fprintln(g.Stdout, filepath.Join(d, "Vagrantfile"))
		}
		return err
	}
	target, err := vagrantfile.Resolve(ws, args[0], o.semester, time.Now())
	if err != nil {
		return err
	}
	d, err := target.Data(ws, vo)
	if err != nil {
		return err
	}
	out, err := tmpl.Render(d)
	if err != nil {
		return err
	}
	if o.output == "" || o.output == "-" {
		_, err = g.Stdout.Write(out)
		return err
	}
	if err := os.MkdirAll(filepath.Dir(o.output), 0o755); err != nil {
		return fmt.Errorf("write Vagrantfile: %w", err)
	}
	if err := os.WriteFile(o.output, out, 0o644); err != nil {
		return fmt.Errorf("write Vagrantfile: %w", err)
	}
	if !g.Quiet {
		fmt.Fprintf(g.Stderr, "wrote %s (%s, box %s %s)\n", o.output, d.Title, d.Box, d.BoxVersion)
	}
	return nil
}
