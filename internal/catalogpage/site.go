package catalogpage

import (
	"net/http"

	"github.com/boxbuild/boxbuild/internal/semester"
)

// Site is everything `boxbuild serve` shows beside the catalog itself, for
// server.Options.Pages: this page at / with its assets and per-course Vagrantfiles, and, with
// a workspace, the semester views (/semesters/<S>/<org>/<box>: only the versions a course
// pins). Without a workspace the page lists boxes only.
func Site(opts Options) http.Handler {
	mux := http.NewServeMux()
	if opts.Workspace != nil {
		mux.Handle("/semesters/", semester.NewView(semester.ViewOptions{Workspace: opts.Workspace, Store: opts.Store, BaseURL: opts.BaseURL}))
	}
	page := New(opts)
	mux.Handle("/{$}", page)
	mux.Handle("/static/", page)
	mux.Handle("/vagrantfiles/", page)
	return mux
}
