// Package server is `boxbuild serve`: it serves a catalog folder to Vagrant exactly as the
// client contract demands (JSON metadata on HEAD and GET, absolute URLs, Range without the
// 416 trap, immutable box URLs) and, when a token is configured, accepts uploads.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

// DefaultMaxUpload bounds one uploaded .box (64 GiB); larger uploads get 413.
const DefaultMaxUpload int64 = 64 << 30

// Options configure a Server.
type Options struct {
	Dir       string    // the catalog folder
	BaseURL   string    // public URL of this server, used in every metadata URL
	Token     string    // upload token; "" makes the server read-only
	MaxUpload int64     // 0: DefaultMaxUpload
	Log       io.Writer // access log; nil: none
	// Pages answers /, /static/…, /vagrantfiles/… and /semesters/…: the catalog page and the
	// semester views, which need the workspace. nil: those paths are 404.
	Pages http.Handler
}

// pageRoots are the first path segments that belong to Options.Pages (and are reserved org
// names in the catalog, so no box can shadow them).
var pageRoots = map[string]bool{"": true, "static": true, "vagrantfiles": true, "semesters": true}

// Server serves one catalog.
type Server struct {
	opts  Options
	store *catalog.Store
	root  *os.Root // every file is opened through it: no path, .. or symlink leaves the catalog
	mu    sync.Mutex
	cache map[string]*cached // rendered metadata per org/box
}

// New opens the catalog in opts.Dir.
func New(opts Options) (*Server, error) {
	if opts.BaseURL == "" {
		return nil, errors.New("serve: a base URL is required (the absolute URL Vagrant downloads boxes from)")
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = DefaultMaxUpload
	}
	// Static metadata files keep the base URL the catalog remembers; this server's own URL is
	// used only in what it renders per request.
	st, err := catalog.Open(opts.Dir, "")
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(st.Dir)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	return &Server{opts: opts, store: st, root: root, cache: map[string]*cached{}}, nil
}

// Close releases the catalog folder.
func (s *Server) Close() error { return s.root.Close() }

// Handler routes requests; paths are split into segments and every segment is validated
// before it names a file.
func (s *Server) Handler() http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seg := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
		switch {
		case pageRoots[seg[0]] && s.opts.Pages != nil:
			s.opts.Pages.ServeHTTP(w, r)
		case r.URL.Path == "/healthz":
			if !allow(w, r, http.MethodGet, http.MethodHead) {
				return
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			io.WriteString(w, "ok\n")
		case len(seg) == 2:
			s.serveMetadata(w, r, seg[0], strings.TrimSuffix(seg[1], ".json"))
		case len(seg) == 5 && seg[0] == "api" && seg[1] == "v2" && seg[2] == "vagrant":
			s.serveMetadata(w, r, seg[3], seg[4])
		case len(seg) == 5 && strings.HasSuffix(seg[4], ".box"):
			e := catalog.Entry{Org: seg[0], Box: seg[1], Version: seg[2], Provider: seg[3], Arch: strings.TrimSuffix(seg[4], ".box")}
			if err := e.Validate(); err != nil {
				http.Error(w, "not found", http.StatusNotFound)
				return
			}
			if r.Method == http.MethodPut {
				s.upload(w, r, e)
				return
			}
			s.serveBox(w, r, e)
		default:
			http.Error(w, "not found", http.StatusNotFound)
		}
	})
	if s.opts.Log == nil {
		return h
	}
	return accessLog(s.opts.Log, h)
}

func allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}

// Serve answers on l until ctx ends, then shuts down gracefully: no new connections, running
// downloads get up to grace to finish.
func (s *Server) Serve(ctx context.Context, l net.Listener, grace time.Duration) error {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	<-errc
	return err
}
