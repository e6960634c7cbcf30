// Package vagrantfile generates the Vagrantfiles students run: it turns a course (a box
// pinned for a semester) or a plain box into Data and renders the workspace's
// Vagrantfile.tmpl with it.
//
// The template is the teachers' to change; Data is the contract between them and boxbuild,
// so fields are only ever added, never renamed.
package vagrantfile

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/boxbuild/boxbuild/internal/config"
)

// Data is what Vagrantfile.tmpl sees.
type Data struct {
	Title       string // "course m151, semester HS26" or "box lamp"
	Course      string // "" for a plain box
	Semester    string // "" for a plain box
	Starts      string // semester start, YYYY-MM-DD
	Ends        string // semester end, YYYY-MM-DD
	Box         string // catalog name, "tbz/lamp"
	BoxName     string // "lamp"
	Description string // the box's description, one line
	BoxURL      string // the catalog (or semester view) URL; "" when Vagrant's server resolves the name
	BoxVersion  string // constraint, e.g. "~> 2.1.0"
	VersionNote string // what the constraint means, in words
	Hostname    string // guest hostname: letters, digits and '-'
	VMName      string // name in the hypervisor's inventory
	CPUs        int
	Memory      int // MiB
	Forwards    []Forward
	Providers   []Provider // in preference order: Vagrant picks the first usable one
}

// Forward is a forwarded port; generated Vagrantfiles bind the host side to 127.0.0.1.
type Forward struct {
	Name     string
	Guest    int
	Host     int
	Protocol string // "tcp" or "udp"
}

// Provider is one provider block.
type Provider struct {
	Name   string // virtualbox, vmware_esxi, vmware_desktop or libvirt
	CPUs   int
	Memory int // MiB
}

// Options select what Data describes beyond the course or box.
type Options struct {
	Provider string          // only this provider's block; "" for every provider the box is built for
	Catalog  *config.Catalog // where students get the box; nil: the workspace's default catalog
}

// ForBox describes an unpinned box: any rebuild of its current series.
func ForBox(ws *config.Workspace, b *config.Box, o Options) (*Data, error) {
	d := &Data{
		Title:      "box " + b.Name,
		BoxVersion: "~> " + b.Version + ".0",
		Hostname:   hostname(b.Name),
		VMName:     hostname(ws.Org + "-" + b.Name),
	}
	if err := fill(d, ws, b, o, ""); err != nil {
		return nil, err
	}
	d.Forwards = forwards(b.Forwards, nil)
	return d, nil
}

// ForCourse describes a course of a semester: its box, pinned, through the semester's view of
// the catalog, with the course's memory, CPUs and ports where it sets them.
func ForCourse(ws *config.Workspace, s *config.Semester, c *config.Course, o Options) (*Data, error) {
	b := ws.Box(c.Box)
	if b == nil {
		return nil, fmt.Errorf("course %s of semester %s: no box %q in the workspace", c.Name, s.Name, c.Box)
	}
	d := &Data{
		Title:      fmt.Sprintf("course %s, semester %s", c.Name, s.Name),
		Course:     c.Name,
		Semester:   s.Name,
		Starts:     s.Starts.Format("2006-01-02"),
		Ends:       s.Ends.Format("2006-01-02"),
		BoxVersion: c.Version,
		Hostname:   hostname(c.Name + "-" + s.Name),
		VMName:     hostname(ws.Org + "-" + s.Name + "-" + c.Name),
	}
	if err := fill(d, ws, b, o, "semesters/"+s.Name+"/"); err != nil {
		return nil, fmt.Errorf("course %s of semester %s: %w", c.Name, s.Name, err)
	}
	if c.CPUs > 0 {
		d.CPUs = c.CPUs
	}
	if c.Memory > 0 {
		d.Memory = c.Memory
	}
	for i := range d.Providers {
		d.Providers[i].CPUs, d.Providers[i].Memory = d.CPUs, d.Memory
	}
	d.Forwards = forwards(b.Forwards, c.Forwards)
	return d, nil
}

// fill sets what courses and boxes share; view is the catalog path prefix ("semesters/S/").
func fill(d *Data, ws *config.Workspace, b *config.Box, o Options, view string) error {
	d.Box = ws.Org + "/" + b.Name
	d.BoxName = b.Name
	d.Description = oneLine(b.Description)
	d.CPUs, d.Memory = b.CPUs, b.Memory
	d.VersionNote = explain(d.BoxVersion)
	cat := o.Catalog
	if cat == nil {
		cat = ws.Catalog("")
	}
	if cat != nil && cat.Kind != "vagrantcloud" && cat.URL != "" {
		d.BoxURL = strings.TrimRight(cat.URL, "/") + "/" + view + d.Box
	}
	names := b.Providers
	if o.Provider != "" {
		if !contains(b.Providers, o.Provider) {
			return fmt.Errorf("box %s is built for %s, not %q", b.Name, strings.Join(b.Providers, ", "), o.Provider)
		}
		names = []string{o.Provider}
	}
	for _, n := range names {
		d.Providers = append(d.Providers, Provider{Name: n, CPUs: d.CPUs, Memory: d.Memory})
	}
	return nil
}

// forwards merges the box's forwarded ports with the course's: a course port with the same
// name replaces the box's, new names are added after the box's.
func forwards(box, course []*config.Forward) []Forward {
	var out []Forward
	for _, f := range box {
		if o := find(course, f.Name); o != nil {
			f = o
		}
		out = append(out, Forward{f.Name, f.Guest, f.Host, f.Protocol})
	}
	for _, f := range course {
		if find(box, f.Name) == nil {
			out = append(out, Forward{f.Name, f.Guest, f.Host, f.Protocol})
		}
	}
	for i := range out {
		if out[i].Protocol == "" {
			out[i].Protocol = "tcp"
		}
	}
	return out
}

func find(fs []*config.Forward, name string) *config.Forward {
	for _, f := range fs {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var notHostname = regexp.MustCompile(`[^a-z0-9-]+`)

// hostname makes a valid hostname label: lowercase letters, digits and '-', at most 63.
func hostname(s string) string {
	h := strings.Trim(notHostname.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(h) > 63 {
		h = strings.TrimRight(h[:63], "-")
	}
	if h == "" {
		h = "box"
	}
	return h
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
