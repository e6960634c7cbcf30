package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild/internal/artifact"
	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/publish"
)

func init() { register(newPublishCmd) }

type publishOptions struct {
	cf          catalogFlags
	file        string
	name        string
	version     string
	provider    string
	arch        string
	description string
}

func newPublishCmd(g *Globals) *cobra.Command {
	var o publishOptions
	cmd := &cobra.Command{
		Use:   "publish [BOX...]",
		Short: "Put built boxes (or one --file) into a catalog",
		Long: "publish takes the newest built artifact of each BOX (default: every box that was built) per\nprovider and " +
			"architecture into the catalog named by --to (default: the first in boxbuild.hcl).\n" +
			"With --file it publishes one box built elsewhere; with --dir and --base-url it needs no\n" +
			"workspace. Publishing the same content again changes nothing; other content under an\n" +
			"existing version is refused.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.file != "" {
				if len(args) > 0 {
					return usageErrorf("give either BOX names or --file, not both")
				}
				return runPublishFile(cmd, g, &o)
			}
			if o.name != "" || o.version != "" || o.provider != "" {
				return usageErrorf("--name, --version and --provider go with --file")
			}
			return runPublishArtifacts(cmd, g, &o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.file, "file", "", "publish this .box `file`")
	f.StringVar(&o.name, "name", "", "catalog name `ORG/BOX` (with --file)")
	f.StringVar(&o.version, "version", "", "`version` to publish (with --file)")
	f.StringVar(&o.provider, "provider", "", "`provider` inside the box, e.g. libvirt (with --file)")
	f.StringVar(&o.arch, "arch", "amd64", "`architecture` of the box (with --file)")
	f.StringVar(&o.description, "description", "", "box description (with --file)")
	o.cf.register(cmd, true)
	return cmd
}

func runPublishFile(cmd *cobra.Command, g *Globals, o *publishOptions) error {
	if o.name == "" || o.version == "" || o.provider == "" {
		return usageErrorf("--file needs --name ORG/BOX, --version V and --provider P")
	}
	pub, ws, err := o.cf.publisher(g)
	if err != nil {
		return err
	}
	org, box, err := catalog.SplitName(o.name, orgOf(ws))
	if err != nil {
		return usageErrorf("--name: %v", err)
	}
	e := catalog.Entry{Org: org, Box: box, Version: o.version, Provider: o.provider, Arch: o.arch}
	if err := e.Validate(); err != nil {
		return usageErrorf("%v", err)
	}
	if _, err := os.Stat(o.file); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	res, err := pub.Publish(cmd.Context(), publish.Box{Entry: e, File: o.file, Description: o.description})
	if err != nil {
		return err
	}
	printResult(g, res)
	return nil
}

func runPublishArtifacts(cmd *cobra.Command, g *Globals, o *publishOptions, names []string) error {
	pub, ws, err := o.cf.publisher(g)
	if err != nil {
		return err
	}
	if ws == nil {
		return errors.New("publish: built artifacts come from a workspace; use --file to publish a single box without one")
	}
	boxes := ws.Boxes
	if len(names) > 0 {
		boxes = nil
		for _, n := range names {
			b := ws.Box(n)
			if b == nil {
				return usageErrorf("no box %q in the workspace", n)
			}
			boxes = append(boxes, b)
		}
	}
	failed, published := 0, 0
	for _, b := range boxes {
		arts, err := artifact.Latest(ws.StateDir, b.Name)
		if err != nil {
			return err
		}
		if len(arts) == 0 {
			// Named boxes must have been built; "every box" means every box that was built.
			if len(names) > 0 {
				fmt.Fprintf(g.Stderr, "publish: %s has no built artifact (run 'boxbuild build %s')\n", b.Name, b.Name)
				failed++
			} else if g.Verbose {
				fmt.Fprintf(g.Stderr, "publish: skipping %s: not built\n", b.Name)
			}
			continue
		}
		published++
		for _, a := range arts {
			e := catalog.Entry{Org: ws.Org, Box: a.Box, Version: a.Version, Provider: a.Provider, Arch: a.Arch}
			res, err := pub.Publish(cmd.Context(), publish.Box{Entry: e, File: a.File, Sha256: a.Sha256, Size: a.Size, Description: b.Description})
			if err != nil {
				fmt.Fprintf(g.Stderr, "publish: %v\n", err)
				failed++
				continue
			}
			printResult(g, res)
		}
	}
	if failed > 0 {
		return errReported
	}
	if published == 0 {
		return errors.New("publish: no box of the workspace is built yet (run 'boxbuild build BOX' or 'boxbuild all')")
	}
	return nil
}

func printResult(g *Globals, r publish.Result) {
	what := "published"
	if r.Unchanged {
		what = "unchanged"
	}
	fmt.Fprintf(g.Stdout, "%s %s@%s %s/%s sha256:%s (%s)\n", what, r.Entry.Name(), r.Entry.Version, r.Entry.Provider, r.Entry.Arch, r.Sha256, r.Method)
}

// publisher picks the target: --dir (a local folder, no workspace needed) or the workspace
// catalog named by --to, of any kind.
func (c *catalogFlags) publisher(g *Globals) (publish.Publisher, *config.Workspace, error) {
	if c.dir != "" {
		s, ws, err := c.open(g)
		if err != nil {
			return nil, nil, err
		}
		if err := rememberBaseURL(s, c.baseURL); err != nil {
			return nil, nil, err
		}
		return &publish.Local{Store: s}, ws, nil
	}
	ws, err := g.loadWorkspace(&c.vars)
	if err != nil {
		return nil, nil, err
	}
	cat := ws.Catalog(c.to)
	if cat == nil {
		return nil, nil, fmt.Errorf("no catalog %q in %s (declare one, or use --dir and --base-url)", c.to, WorkspaceFile)
	}
	switch cat.Kind {
	case "local":
		base := c.baseURL
		if base == "" {
			base = cat.URL
		}
		s, err := catalog.Open(cat.Dir, base)
		if err != nil {
			return nil, nil, err
		}
		if err := rememberBaseURL(s, base); err != nil {
			return nil, nil, err
		}
		// Artifacts live in boxbuild's state folder: hard-linking them is safe and copies nothing.
		return &publish.Local{Store: s, Link: true}, ws, nil
	case "server", "vagrantcloud":
		token, err := publish.ReadToken(cat.TokenEnv, "")
		if err != nil {
			return nil, nil, fmt.Errorf("catalog %q: %w", cat.Name, err)
		}
		if cat.Kind == "server" {
			return &publish.Server{URL: cat.URL, Token: token}, ws, nil
		}
		return &publish.VagrantCloud{URL: cat.URL, Token: token}, ws, nil
	default:
		return nil, nil, fmt.Errorf("catalog %q: unknown kind %q", cat.Name, cat.Kind)
	}
}

// rememberBaseURL stores an explicitly given base URL in the catalog, and refuses to publish
// into a catalog that has none: Vagrant needs absolute box URLs.
func rememberBaseURL(s *catalog.Store, given string) error {
	if s.BaseURL == "" {
		return fmt.Errorf("publish: catalog %s has no base URL yet: give --base-url (the public URL it is served under)", s.Dir)
	}
	if given != "" {
		return s.SaveBaseURL()
	}
	return nil
}
