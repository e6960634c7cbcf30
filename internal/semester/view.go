package semester

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/config"
)

// ViewOptions configure the semester views.
type ViewOptions struct {
	Workspace *config.Workspace // its semesters and courses say what each view lists
	Store     *catalog.Store    // the catalog being served
	BaseURL   string            // public URL of the catalog, for the box URLs in the metadata
}

// NewView serves /semesters/<semester>/<org>/<box> (and the same with .json): the box's
// metadata with only the versions the semester's courses pin. A course's Vagrantfile points
// box_url here, so even `vagrant box update` or `vagrant box outdated --global`, which ignore
// the Vagrantfile's box_version, never see a version outside the pin. Mount it at
// "/semesters/"; every other path gets 404.
func NewView(o ViewOptions) http.Handler {
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seg := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if len(seg) != 4 || seg[0] != "semesters" {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		m, err := View(o, seg[1], seg[2], strings.TrimSuffix(seg[3], ".json"))
		switch {
		case errors.Is(err, catalog.ErrNotFound):
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		case err != nil:
			http.Error(w, "catalog record unreadable", http.StatusInternalServerError)
			return
		}
		body, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		sum := sha256.Sum256(body)
		// Vagrant decides "catalog, not box" from the Content-Type of its HEAD request; it sends
		// no Accept-Encoding, so the body stays uncompressed. no-cache: new patch versions must
		// show at the next check.
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(append(body, '\n')))
	})
}

// View is the metadata of org/box as semester sem shows it: the released versions that
// satisfy any of its courses' pins on that box. It is ErrNotFound when the semester does not
// exist or pins no such box; a pinned box nothing satisfies yet has an empty version list.
func View(o ViewOptions, sem, org, box string) (*catalog.Metadata, error) {
	s := o.Workspace.Semester(sem)
	if s == nil {
		return nil, fmt.Errorf("no semester %q: %w", sem, catalog.ErrNotFound)
	}
	name := org + "/" + box
	var pins catalog.PinSet
	for _, p := range Of(o.Workspace, s) {
		if p.Box == name {
			pins = append(pins, p)
		}
	}
	if len(pins) == 0 {
		return nil, fmt.Errorf("semester %s pins no box %s: %w", sem, name, catalog.ErrNotFound)
	}
	full := &catalog.Metadata{Name: name, Versions: []*catalog.Version{}}
	r, err := o.Store.Load(org, box)
	if err == nil {
		full = r.Metadata(o.BaseURL)
	} else if !errors.Is(err, catalog.ErrNotFound) {
		return nil, err
	}
	out := &catalog.Metadata{Name: full.Name, Description: full.Description, Versions: []*catalog.Version{}}
	for _, v := range full.Versions {
		if _, ok := pins.Protects(name, v.Version); ok {
			out.Versions = append(out.Versions, v)
		}
	}
	return out, nil
}
