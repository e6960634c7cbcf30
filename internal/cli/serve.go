package cli

import (
	"fmt"
	"net"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/boxbuild/boxbuild/internal/catalogpage"
	"github.com/boxbuild/boxbuild/internal/server"
)

func init() { register(newServeCmd) }

type serveOptions struct {
	cf        catalogFlags
	addr      string
	tokenEnv  string
	maxUpload int64
}

func newServeCmd(g *Globals) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve a catalog to Vagrant over HTTP (uploads only with --token-env)",
		Long: "serve answers Vagrant at /<org>/<box>, /<org>/<box>.json and /api/v2/vagrant/<org>/<box>,\n" +
			"serves the .box files with Range support, and accepts\n" +
			"PUT /<org>/<box>/<version>/<provider>/<arch>.box with a bearer token when --token-env names\n" +
			"an environment variable holding one. It stops gracefully on SIGINT or SIGTERM.",
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd, g, &o) },
	}
	cmd.Flags().StringVar(&o.addr, "addr", "127.0.0.1:8099", "`host:port` to listen on")
	cmd.Flags().StringVar(&o.tokenEnv, "token-env", "", "environment variable `NAME` holding the upload token (unset: read-only)")
	cmd.Flags().Int64Var(&o.maxUpload, "max-upload", server.DefaultMaxUpload, "largest accepted upload in `bytes`")
	o.cf.register(cmd, true)
	return cmd
}

func runServe(cmd *cobra.Command, g *Globals, o *serveOptions) error {
	base := o.cf.baseURL
	o.cf.baseURL = "" // the server's URL must not overwrite what the catalog remembers
	s, ws, err := o.cf.open(g)
	if err != nil {
		return err
	}
	token := ""
	if o.tokenEnv != "" {
		if token = os.Getenv(o.tokenEnv); token == "" {
			return fmt.Errorf("serve: --token-env %s: the variable is empty or unset", o.tokenEnv)
		}
	}
	l, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if base == "" {
		base = "http://" + l.Addr().String()
	}
	srv, err := server.New(server.Options{Dir: s.Dir, BaseURL: base, Token: token, MaxUpload: o.maxUpload, Log: g.Stderr,
		Pages: catalogpage.Site(catalogpage.Options{Store: s, Workspace: ws, BaseURL: base})})
	if err != nil {
		l.Close()
		return err
	}
	defer srv.Close()
	mode := "read-only"
	if token != "" {
		mode = "uploads enabled"
	}
	if !g.Quiet {
		fmt.Fprintf(g.Stderr, "serving %s at %s (%s, listening on %s)\n", s.Dir, base, mode, l.Addr())
	}
	if err := srv.Serve(cmd.Context(), l, 30*time.Second); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	if !g.Quiet {
		fmt.Fprintln(g.Stderr, "serve: stopped")
	}
	return nil
}
