package catalogpage

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/semester"
)

// view is what the page template shows.
type view struct {
	BaseURL   string
	Boxes     []boxView
	Semesters []semesterView
	Generated string
}

type boxView struct {
	Name        string // org/box
	Anchor      string
	Description string
	URL         string // metadata URL
	Latest      string
	Command     string // vagrant box add for the latest version
	Versions    []versionView
}

type versionView struct {
	Version  string
	Released string // YYYY-MM-DD
	Command  string // vagrant box add of exactly this version
	Files    []fileView
}

type fileView struct {
	Provider, Arch string
	Size           string
	Sha256         string
	URL            string
}

type semesterView struct {
	Name, Starts, Ends string
	Active             bool
	Courses            []courseView
}

type courseView struct {
	Name, Box, BoxAnchor, Pin string
	Resolves                  string // "" when missing
	ViewURL                   string
	Command                   string
	Vagrantfile               string // download path
}

func (p *page) build() (*view, error) {
	v := &view{BaseURL: p.opts.BaseURL, Generated: p.opts.Now().UTC().Format("2006-01-02 15:04 UTC")}
	names, err := p.opts.Store.Boxes()
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		org, box, _ := strings.Cut(name, "/")
		rec, err := p.opts.Store.Load(org, box)
		if err != nil {
			return nil, err
		}
		if bv, ok := p.boxView(rec); ok {
			v.Boxes = append(v.Boxes, bv)
		}
	}
	if ws := p.opts.Workspace; ws != nil {
		src := semester.StoreSource{Store: &catalog.Store{Dir: p.opts.Store.Dir, BaseURL: p.opts.BaseURL}}
		now := p.opts.Now()
		for _, s := range ws.Semesters {
			if now.After(s.Ends.AddDate(0, 0, 1)) {
				continue // over: its courses no longer matter to anyone visiting
			}
			st, err := semester.Check(ws, s, src, now)
			if err != nil {
				return nil, err
			}
			sv := semesterView{Name: s.Name, Starts: st.Starts, Ends: st.Ends, Active: st.Active}
			for _, c := range st.Courses {
				viewURL := p.opts.BaseURL + "/semesters/" + url.PathEscape(s.Name) + "/" + c.Box
				sv.Courses = append(sv.Courses, courseView{
					Name: c.Course, Box: c.Box, BoxAnchor: anchor(c.Box), Pin: c.Pin, Resolves: c.Resolves,
					ViewURL:     viewURL,
					Command:     "vagrant box add --box-version " + shellQuote(c.Pin) + " " + viewURL,
					Vagrantfile: "/vagrantfiles/" + url.PathEscape(s.Name) + "/" + url.PathEscape(c.Course) + "/Vagrantfile",
				})
			}
			v.Semesters = append(v.Semesters, sv)
		}
	}
	return v, nil
}

// boxView lists the released versions of rec, newest first; false when none is released.
func (p *page) boxView(rec *catalog.Record) (boxView, bool) {
	bv := boxView{Name: rec.Name, Anchor: anchor(rec.Name), Description: rec.Description, URL: p.opts.BaseURL + "/" + rec.Name}
	for i := len(rec.Versions) - 1; i >= 0; i-- {
		rv := rec.Versions[i]
		if rv.Revoked {
			continue
		}
		vv := versionView{Version: rv.Version, Released: date(rv.Created)}
		for _, b := range rv.Boxes {
			if vv.Released == "" {
				vv.Released = date(b.Published)
			}
			vv.Files = append(vv.Files, fileView{
				Provider: b.Provider, Arch: b.Arch, Size: humanSize(b.Size), Sha256: b.Sha256,
				URL: p.opts.BaseURL + "/" + b.Path,
			})
		}
		vv.Command = "vagrant box add --box-version " + shellQuote(rv.Version) + " " + bv.URL
		if bv.Latest == "" {
			bv.Latest, bv.Command = rv.Version, vv.Command
		}
		bv.Versions = append(bv.Versions, vv)
	}
	return bv, bv.Latest != ""
}

func anchor(name string) string { return "box-" + strings.ReplaceAll(name, "/", "-") }

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// shellQuote quotes s for a POSIX shell; constraints hold '>' and '<', which would redirect.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
