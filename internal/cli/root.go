// Package cli holds the boxbuild commands: one file per command, each an options struct and
// a run function, wired into one cobra tree here.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Globals carries what every command shares: the streams, the global flags and the context.
type Globals struct {
	Stdout io.Writer // results
	Stderr io.Writer // logs, progress and diagnostics
	// StderrTTY says whether stderr is a terminal: redraws and colour only then.
	StderrTTY bool

	Verbose bool
	Quiet   bool
	Chdir   string // -C: the workspace, or a folder below it

	files map[string]*hcl.File // parsed sources, for diagnostic snippets
}

// Main runs boxbuild with the process's arguments and returns the exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	g := &Globals{
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		StderrTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
	return Run(ctx, g, os.Args[1:])
}

// stderrWidth is the terminal's width, for the live build view; 0 when unknown.
func stderrWidth() int {
	w, _, err := term.GetSize(int(os.Stderr.Fd()))
	if err != nil {
		return 0
	}
	return w
}

// Run executes one boxbuild command line; tests call it in-process.
func Run(ctx context.Context, g *Globals, args []string) int {
	root := NewRootCmd(g)
	root.SetArgs(args)
	root.SetOut(g.Stdout)
	root.SetErr(g.Stderr)
	err := root.ExecuteContext(ctx)
	return exitCode(ctx, g, err)
}

// NewRootCmd builds the command tree.
func NewRootCmd(g *Globals) *cobra.Command {
	root := &cobra.Command{
		Use:           "boxbuild",
		Short:         "Build, test and publish Vagrant boxes from HCL definitions",
		Long:          "boxbuild turns boxes/*.hcl into Packer builds and a versioned, self-hosted Vagrant box catalog.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().BoolVarP(&g.Verbose, "verbose", "v", false, "print debug details")
	root.PersistentFlags().BoolVarP(&g.Quiet, "quiet", "q", false, "print only results and errors")
	root.PersistentFlags().StringVarP(&g.Chdir, "chdir", "C", "", "use the workspace in `DIR` instead of the one around the current folder")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErrorf("%v", err) })

	for _, add := range commands {
		root.AddCommand(add(g))
	}
	return root
}

// commands lists the constructors of the subcommands; each command file appends itself in init,
// so adding a command touches only its own file.
var commands []func(*Globals) *cobra.Command

func register(f func(*Globals) *cobra.Command) { commands = append(commands, f) }

// usageError marks bad flags or arguments: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// errReported says the failure was already printed (diagnostics, a per-box summary):
// exit 1 with no further message.
var errReported = errors.New("failure already reported")

func exitCode(ctx context.Context, g *Globals, err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return ExitOK
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		fmt.Fprintf(g.Stderr, "boxbuild: interrupted: %v\n", err)
		return ExitInterrupted
	case errors.As(err, &ue):
		fmt.Fprintf(g.Stderr, "boxbuild: %v\nRun 'boxbuild --help' for usage.\n", err)
		return ExitUsage
	case errors.Is(err, errReported):
		return ExitFailure
	default:
		fmt.Fprintf(g.Stderr, "boxbuild: %v\n", err)
		return ExitFailure
	}
}

// args validators that report usage errors (exit 2) instead of cobra's plain errors.
func exactArgs(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErrorf("expected %d argument(s), got %d", n, len(args))
		}
		return nil
	}
}

func maxArgs(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) > n {
			return usageErrorf("expected at most %d argument(s), got %d", n, len(args))
		}
		return nil
	}
}

func minArgs(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErrorf("expected at least %d argument(s), got %d", n, len(args))
		}
		return nil
	}
}
