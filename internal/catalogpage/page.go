// Package catalogpage is the catalog's web page: boxes, versions and files with their sizes,
// checksums and release dates, the semesters' courses with their pins, copyable `vagrant`
// commands and a Vagrantfile download per course. It is server-rendered HTML that works
// without JavaScript; a small script only adds copy buttons.
package catalogpage

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/config"
)

//go:embed assets
var assets embed.FS

var pageTmpl = template.Must(template.New("page.html.tmpl").Funcs(template.FuncMap{
	"short": func(s string) string {
		if len(s) > 12 {
			return s[:12]
		}
		return s
	},
}).ParseFS(assets, "assets/page.html.tmpl"))

// Options configure the page.
type Options struct {
	Store     *catalog.Store    // the catalog shown
	Workspace *config.Workspace // optional: its semesters and courses, and its Vagrantfile.tmpl
	BaseURL   string            // public URL of the catalog, as students' Vagrant reaches it
	Now       func() time.Time  // nil: time.Now; decides which semesters are running
}

type page struct {
	opts   Options
	static map[string]staticFile // by URL path, e.g. "/static/catalog.css"
}

type staticFile struct {
	body        []byte
	contentType string
	etag        string
}

// New returns the handler for "/", "/static/…" and "/vagrantfiles/<semester>/<course>/Vagrantfile";
// every other path gets 404, so a server can mount it at "/" behind its own routes.
func New(o Options) http.Handler {
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	if o.Now == nil {
		o.Now = time.Now
	}
	p := &page{opts: o, static: map[string]staticFile{}}
	for name, ct := range map[string]string{"catalog.css": "text/css; charset=utf-8", "copy.js": "text/javascript; charset=utf-8"} {
		b, err := fs.ReadFile(assets, "assets/"+name)
		if err != nil {
			panic(err) // embedded at build time
		}
		sum := sha256.Sum256(b)
		p.static["/static/"+name] = staticFile{body: b, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return p
}

func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if path != "/" && !strings.HasPrefix(path, "/static/") && !strings.HasPrefix(path, "/vagrantfiles/") {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	// Only our own stylesheet and script; nothing may frame the page or send it elsewhere.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	switch {
	case path == "/":
		p.servePage(w, r)
	case strings.HasPrefix(path, "/static/"):
		p.serveStatic(w, r)
	default:
		p.serveVagrantfile(w, r)
	}
}

func (p *page) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := p.static[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("ETag", f.etag)
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}

func (p *page) servePage(w http.ResponseWriter, r *http.Request) {
	v, err := p.build()
	if err != nil {
		http.Error(w, "catalog unreadable: "+err.Error(), http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, v); err != nil {
		http.Error(w, "render page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(buf.Bytes()))
}
