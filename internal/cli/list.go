package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func init() { register(newListCmd) }

type listOptions struct {
	vars varFlags
	json bool
}

func newListCmd(g *Globals) *cobra.Command {
	o := &listOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the workspace's boxes",
		Args:  exactArgs(0),
		RunE:  func(*cobra.Command, []string) error { return runList(g, o) },
	}
	o.vars.register(cmd)
	cmd.Flags().BoolVar(&o.json, "json", false, "print the boxes as JSON")
	return cmd
}

type listEntry struct {
	Name        string   `json:"name"`
	Catalog     string   `json:"catalog_name"`
	Version     string   `json:"version_series"`
	Source      string   `json:"source,omitempty"`
	From        string   `json:"from,omitempty"`
	Providers   []string `json:"providers"`
	Arch        []string `json:"arch"`
	Description string   `json:"description"`
	File        string   `json:"file"`
}

func runList(g *Globals, o *listOptions) error {
	ws, err := g.loadWorkspace(&o.vars)
	if err != nil {
		return err
	}
	entries := []listEntry{}
	for _, b := range ws.Boxes {
		e := listEntry{Name: b.Name, Catalog: ws.Org + "/" + b.Name, Version: b.Version, From: b.From,
			Providers: b.Providers, Arch: b.Arch, Description: b.Description, File: b.File}
		if b.Source != nil {
			e.Source = b.Source.Kind
		}
		entries = append(entries, e)
	}
	if o.json {
		return writeJSON(g.Stdout, entries)
	}
	tw := tabwriter.NewWriter(g.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BOX\tSERIES\tSTARTS FROM\tPROVIDERS\tARCH\tDESCRIPTION")
	for _, e := range entries {
		start := "source " + e.Source
		if e.From != "" {
			start = "box " + e.From
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Name, e.Version, start,
			strings.Join(e.Providers, ","), strings.Join(e.Arch, ","), e.Description)
	}
	return tw.Flush()
}
