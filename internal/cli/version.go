package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild/internal/buildinfo"
)

func init() { register(newVersionCmd) }

func newVersionCmd(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print boxbuild's version",
		Args:  exactArgs(0),
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(g.Stdout, "boxbuild %s (%s, %s/%s)\n", buildinfo.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
