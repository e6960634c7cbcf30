package catalogpage

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/boxbuild/boxbuild/internal/config"
	"github.com/boxbuild/boxbuild/internal/vagrantfile"
)

// serveVagrantfile answers /vagrantfiles/<semester>/<course>/Vagrantfile with the course's
// Vagrantfile, rendered from the workspace's template with this catalog's URL, exactly as
// `boxbuild vagrantfile COURSE --semester S` would write it.
func (p *page) serveVagrantfile(w http.ResponseWriter, r *http.Request) {
	seg := strings.Split(strings.TrimPrefix(r.URL.Path, "/vagrantfiles/"), "/")
	ws := p.opts.Workspace
	if len(seg) != 3 || seg[2] != "Vagrantfile" || ws == nil {
		http.NotFound(w, r)
		return
	}
	target, err := vagrantfile.Resolve(ws, seg[1], seg[0], p.opts.Now())
	if err != nil || target.Course == nil {
		http.Error(w, "no such course", http.StatusNotFound)
		return
	}
	tmpl, err := vagrantfile.Load(ws)
	if err != nil {
		// The teacher's template is broken; the message names its line.
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	d, err := target.Data(ws, vagrantfile.Options{Catalog: &config.Catalog{Name: "this server", Kind: "local", URL: p.opts.BaseURL}})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	out, err := tmpl.Render(d)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="Vagrantfile"`)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(out))
}
