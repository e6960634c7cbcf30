package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/semester"
)

func init() {
	register(newReleaseCmd)
	register(newRevokeCmd)
	register(newDeleteCmd)
}

// catalogFlags select a local catalog folder: --dir, or the workspace's catalog (--to NAME).
type catalogFlags struct {
	dir     string
	baseURL string
	to      string
	vars    varFlags
}

func (c *catalogFlags) register(cmd *cobra.Command, withBaseURL bool) {
	cmd.Flags().StringVar(&c.dir, "dir", "", "the catalog `folder` (default: the workspace's catalog)")
	cmd.Flags().StringVar(&c.to, "to", "", "the workspace catalog `NAME` (default: the first one)")
	if withBaseURL {
		cmd.Flags().StringVar(&c.baseURL, "base-url", "", "public `URL` the catalog is served under (remembered in the catalog)")
	}
	c.vars.register(cmd)
}

// open returns the catalog store and, when one is found, the workspace (for its org and
// semester pins). With --dir, a missing workspace is fine: there are no pins to know of.
func (c *catalogFlags) open(g *Globals) (*catalog.Store, *config.Workspace, error) {
	if c.dir != "" {
		var ws *config.Workspace
		if _, err := g.workspaceDir(); err == nil {
			if ws, err = g.loadWorkspace(&c.vars); err != nil {
				return nil, nil, err
			}
		}
		s, err := catalog.Open(c.dir, c.baseURL)
		return s, ws, err
	}
	ws, err := g.loadWorkspace(&c.vars)
	if err != nil {
		return nil, nil, err
	}
	cat := ws.Catalog(c.to)
	if cat == nil {
		return nil, nil, fmt.Errorf("no catalog %q in %s (declare one, or use --dir)", c.to, WorkspaceFile)
	}
	if cat.Kind != "local" {
		return nil, nil, fmt.Errorf("catalog %q is a %s target; this command changes a local catalog folder (run it where the folder is, with --dir)", cat.Name, cat.Kind)
	}
	base := c.baseURL
	if base == "" {
		base = cat.URL
	}
	s, err := catalog.Open(cat.Dir, base)
	return s, ws, err
}

// pins are the versions that semesters which have not ended rely on: the running ones
// (semester.Pins) and, so a prune between terms cannot strip next term's boxes, the
// upcoming ones.
func pins(ws *config.Workspace, now time.Time) catalog.PinSet {
	if ws == nil {
		return nil
	}
	ps := semester.Pins(ws, now)
	for _, s := range ws.Semesters {
		if s.Starts.After(now) && !s.Active(now) {
			ps = append(ps, semester.Of(ws, s)...)
		}
	}
	return ps
}

func orgOf(ws *config.Workspace) string {
	if ws == nil {
		return ""
	}
	return ws.Org
}

func newReleaseCmd(g *Globals) *cobra.Command {
	return newVersionStateCmd(g, "release", "Make a revoked version visible to Vagrant again",
		func(s *catalog.Store, _ *config.Workspace, org, box, v string) error { return s.Release(org, box, v) })
}

func newRevokeCmd(g *Globals) *cobra.Command {
	return newVersionStateCmd(g, "revoke", "Hide a version from Vagrant, keeping its files (release restores it)",
		func(s *catalog.Store, _ *config.Workspace, org, box, v string) error { return s.Revoke(org, box, v) })
}

func newDeleteCmd(g *Globals) *cobra.Command {
	return newVersionStateCmd(g, "delete", "Remove a version and its files (never the newest, never a pinned one)",
		func(s *catalog.Store, ws *config.Workspace, org, box, v string) error {
			return s.Delete(org, box, v, pins(ws, time.Now()))
		})
}

func newVersionStateCmd(g *Globals, verb, short string, do func(*catalog.Store, *config.Workspace, string, string, string) error) *cobra.Command {
	var cf catalogFlags
	cmd := &cobra.Command{
		Use:   verb + " BOX@VERSION",
		Short: short,
		Args:  exactArgs(1),
	}
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		s, ws, err := cf.open(g)
		if err != nil {
			return err
		}
		org, box, v, err := catalog.ParseRef(args[0], orgOf(ws))
		if err != nil {
			return usageErrorf("%v", err)
		}
		if err := do(s, ws, org, box, v); err != nil {
			if errors.Is(err, catalog.ErrNotFound) {
				return fmt.Errorf("%s %s/%s@%s: no such version in %s", verb, org, box, v, s.Dir)
			}
			return fmt.Errorf("%s: %w", verb, err)
		}
		fmt.Fprintf(g.Stdout, "%s %s/%s@%s\n", pastTense[verb], org, box, v)
		return nil
	}
	cf.register(cmd, false)
	return cmd
}

var pastTense = map[string]string{"release": "released", "revoke": "revoked", "delete": "deleted"}
