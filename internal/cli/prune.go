package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func init() { register(newPruneCmd) }

func newPruneCmd(g *Globals) *cobra.Command {
	var (
		cf     catalogFlags
		keep   int
		dryRun bool
	)
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Remove old versions; never the newest, never one a semester pins",
		Long: "prune keeps, per box, the --keep newest released versions, the newest version of all,\n" +
			"and every version a semester that has not ended yet pins; it removes the rest.",
		Args: exactArgs(0),
		RunE: func(*cobra.Command, []string) error {
			if keep < 1 {
				return usageErrorf("--keep must be at least 1")
			}
			s, ws, err := cf.open(g)
			if err != nil {
				return err
			}
			ps := pins(ws, time.Now())
			if dryRun {
				plan, err := s.PlanPrune(keep, ps)
				if err != nil {
					return err
				}
				for _, rm := range plan {
					fmt.Fprintf(g.Stdout, "would remove %s@%s\n", rm.Box, rm.Version)
				}
				return nil
			}
			done, err := s.Prune(keep, ps)
			for _, rm := range done {
				fmt.Fprintf(g.Stdout, "removed %s@%s\n", rm.Box, rm.Version)
			}
			return err
		},
	}
	cmd.Flags().IntVar(&keep, "keep", 3, "released versions to keep per box")
	cmd.Flags().BoolVarP(&dryRun, "dry-run", "n", false, "print what would be removed, remove nothing")
	cf.register(cmd, false)
	return cmd
}
