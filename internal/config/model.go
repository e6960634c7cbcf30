package config

import (
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Workspace is a loaded, validated workspace: boxbuild.hcl plus boxes/ and semesters/.
type Workspace struct {
	Dir             string // absolute path of the folder holding boxbuild.hcl
	Org             string // catalog organisation, e.g. "tbz"; catalog names are Org/Box
	RequiredVersion string // constraint on boxbuild's own version, "" when unset
	StateDir        string // absolute path for builds, logs and caches (default Dir/.boxbuild)
	Defaults        Defaults
	Catalogs        []*Catalog  // publish targets, in file order; the first is the default
	Variables       []*Variable // sorted by name
	Boxes           []*Box      // sorted by name
	Semesters       []*Semester // sorted by start date
}

// Defaults apply to every box that does not set the field itself.
type Defaults struct {
	CPUs      int
	Memory    int // MiB
	DiskGB    int
	Providers []string
	Arch      []string
}

// Catalog is a publish target named in boxbuild.hcl.
type Catalog struct {
	Name     string
	Kind     string // "local" (a folder), "server" (a boxbuild serve upload API) or "vagrantcloud"
	Dir      string // local: absolute folder
	URL      string // local: public base URL the catalog is served under; server/vagrantcloud: API base
	TokenEnv string // server/vagrantcloud: environment variable holding the token
	Range    hcl.Range
}

// Box is one box definition.
type Box struct {
	Name        string
	Description string
	Version     string // the series, "2.1"; builds publish 2.1.0, 2.1.1, …
	From        string // parent box; "" when Source is set
	Source      *Source
	Providers   []string
	Arch        []string
	CPUs        int
	Memory      int // MiB
	DiskGB      int
	Provisions  []*Script // in order
	Tests       []*Script // in order
	Forwards    []*Forward
	File        string    // workspace-relative file that defines it
	DeclRange   hcl.Range // the `box "name"` label
	FromRange   hcl.Range // the value of `from`, when set
	// ProvidersRange is the value of `providers`, when the box sets it.
	ProvidersRange hcl.Range
}

// Source says where a base box starts from. Exactly one kind is set per base box.
type Source struct {
	Kind     string   // "iso", "image" or "bootstrap"
	URL      string   // iso, image
	Checksum string   // iso, image: "sha256:…", "file:URL", …; mandatory
	OS       string   // iso: "debian" or "ubuntu", picks the unattended-install method
	Format   string   // image: "qcow2", "ova", "vmdk"
	Suite    string   // bootstrap: Debian suite, e.g. "bookworm"
	Mirror   string   // bootstrap: Debian mirror URL
	Packages []string // bootstrap: extra packages in the base image
	Range    hcl.Range
}

// Script is a provisioning or test script run inside the guest.
type Script struct {
	Path  string // workspace-relative, slash-separated, e.g. "provision/web/apache.sh"
	Env   []EnvVar
	Range hcl.Range
}

// EnvVar is one environment variable for a script. A value that came from a sensitive
// variable is never written into a rendered file: render passes it through the environment.
type EnvVar struct {
	Name      string
	Value     string
	Sensitive bool
	Variable  string // the variable it came from, "" for a literal
	Missing   bool   // it refers to a variable with no value: building this box must fail
}

// Forward is a port forwarded from the host (always bound to 127.0.0.1) to the guest.
type Forward struct {
	Name     string
	Guest    int
	Host     int
	Protocol string // "tcp" or "udp"
	Range    hcl.Range
}

// Variable is a workspace input, set by -var, a var file, BOXBUILD_VAR_<name> or its default.
type Variable struct {
	Name        string
	Type        string // "string", "number" or "bool"
	Description string
	Default     *string
	Sensitive   bool
	Value       string // the resolved value
	Set         bool   // whether any source (default included) gave a value
	Range       hcl.Range
}

// Semester pins what each course uses for one term.
type Semester struct {
	Name    string
	Starts  time.Time
	Ends    time.Time
	Courses []*Course
	File    string
	Range   hcl.Range
}

// Course is one course in a semester, pinned to a box and a version constraint.
type Course struct {
	Name     string
	Box      string
	Version  string // a Vagrant-style constraint, e.g. "~> 2.1.0"
	CPUs     int    // 0: the box's value
	Memory   int    // 0: the box's value
	Forwards []*Forward
	Range    hcl.Range
}

// Active reports whether the semester runs on day t (starts ≤ t ≤ ends, by date).
func (s *Semester) Active(t time.Time) bool {
	d := t.Format("2006-01-02")
	return d >= s.Starts.Format("2006-01-02") && d <= s.Ends.Format("2006-01-02")
}

// Box returns the box called name, or nil.
func (w *Workspace) Box(name string) *Box {
	for _, b := range w.Boxes {
		if b.Name == name {
			return b
		}
	}
	return nil
}

// Semester returns the semester called name, or nil.
func (w *Workspace) Semester(name string) *Semester {
	for _, s := range w.Semesters {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Catalog returns the publish target called name ("" for the default), or nil.
func (w *Workspace) Catalog(name string) *Catalog {
	for _, c := range w.Catalogs {
		if name == "" || c.Name == name {
			return c
		}
	}
	return nil
}
