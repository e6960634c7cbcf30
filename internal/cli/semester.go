package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/semester"
)

func init() { register(newSemesterCmd) }

func newSemesterCmd(g *Globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "semester",
		Short: "Check the versions a semester's courses pin",
	}
	cmd.AddCommand(newSemesterStatusCmd(g))
	return cmd
}

type semesterStatusOptions struct {
	vars    varFlags
	dir     string
	catalog string
	json    bool
}

func newSemesterStatusCmd(g *Globals) *cobra.Command {
	o := &semesterStatusOptions{}
	cmd := &cobra.Command{
		Use:   "status SEMESTER",
		Short: "Show per course the pin, the version it resolves to, and what is missing",
		Long: "For every course of the semester: the box and its version constraint, the newest published\n" +
			"version within it (what a student's `vagrant up` gets), and the newest version overall.\n" +
			"A pin nothing published satisfies is MISSING, and the exit code is 1: fix it before the\n" +
			"term starts.",
		Args: exactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error { return runSemesterStatus(g, o, args[0]) },
	}
	o.vars.register(cmd)
	cmd.Flags().StringVar(&o.dir, "dir", "", "read the catalog in `folder` (default: the workspace's default catalog)")
	cmd.Flags().StringVar(&o.catalog, "catalog", "", "read the catalog called `name` in boxbuild.hcl")
	cmd.Flags().BoolVar(&o.json, "json", false, "print the status as JSON")
	return cmd
}

func runSemesterStatus(g *Globals, o *semesterStatusOptions, name string) error {
	ws, err := g.loadWorkspace(&o.vars)
	if err != nil {
		return err
	}
	s := ws.Semester(name)
	if s == nil {
		var names []string
		for _, x := range ws.Semesters {
			names = append(names, x.Name)
		}
		return usageErrorf("no semester %q in the workspace (have: %s)", name, strings.Join(names, ", "))
	}
	src, where, err := statusSource(ws, o)
	if err != nil {
		return err
	}
	st, err := semester.Check(ws, s, src, time.Now())
	if err != nil {
		return err
	}
	if o.json {
		enc := json.NewEncoder(g.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // keep "~> 2.1.0" readable
		err = enc.Encode(st)
	} else {
		err = printStatus(g, st, where)
	}
	if err != nil {
		return err
	}
	if st.Missing > 0 {
		when := "before the term starts on " + st.Starts
		if st.Active {
			when = "now: the term is running and students cannot get these boxes"
		}
		fmt.Fprintf(g.Stderr, "boxbuild: %d course(s) of %s pin a version nothing in %s satisfies: "+
			"publish a matching box or change the pin in %s %s\n", st.Missing, s.Name, where, s.File, when)
		return errReported
	}
	return nil
}

// statusSource picks the catalog to compare with: --dir, else the named or default catalog
// (its folder when local, its URL otherwise).
func statusSource(ws *config.Workspace, o *semesterStatusOptions) (semester.Source, string, error) {
	dir := o.dir
	if dir == "" {
		c := ws.Catalog(o.catalog)
		switch {
		case c == nil && o.catalog != "":
			return nil, "", usageErrorf("no catalog %q in %s", o.catalog, config.WorkspaceFile)
		case c == nil:
			return nil, "", fmt.Errorf("the workspace has no catalog: use --dir FOLDER")
		case c.Kind == "local":
			dir = c.Dir
		case c.Kind == "server":
			return semester.HTTPSource{BaseURL: c.URL}, c.URL, nil
		default:
			return nil, "", fmt.Errorf("catalog %s (%s) cannot be read here: use --dir FOLDER", c.Name, c.Kind)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, catalog.StateDir)); err != nil {
		return nil, "", fmt.Errorf("no catalog in %s (nothing published there yet?): %w", dir, err)
	}
	st, err := catalog.Open(dir, "")
	if err != nil {
		return nil, "", err
	}
	return semester.StoreSource{Store: st}, dir, nil
}

func printStatus(g *Globals, st *semester.Status, where string) error {
	state := "not running"
	if st.Active {
		state = "running"
	}
	fmt.Fprintf(g.Stdout, "Semester %s, %s to %s (%s), catalog %s\n\n", st.Semester, st.Starts, st.Ends, state, where)
	tw := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COURSE\tBOX\tPIN\tRESOLVES TO\tPROVIDERS\tNEWEST PUBLISHED")
	for _, c := range st.Courses {
		res := c.Resolves
		if c.Missing {
			res = "MISSING"
		}
		latest := c.Latest
		if latest == "" {
			latest = "-"
		}
		providers := strings.Join(c.Providers, ",")
		if providers == "" {
			providers = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Course, c.Box, c.Pin, res, providers, latest)
	}
	return tw.Flush()
}
