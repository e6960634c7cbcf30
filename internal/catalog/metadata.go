package catalog

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/go-version"
)

// Metadata is the JSON document Vagrant reads (see the client contract: string versions,
// absolute URLs, lowercase checksum_type, default architecture last per provider).
type Metadata struct {
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	Versions    []*Version `json:"versions"`
}

// Version is one released version in Metadata.
type Version struct {
	Version   string      `json:"version"`
	Providers []*Provider `json:"providers"`
}

// Provider is one downloadable .box of a version.
type Provider struct {
	Name                string `json:"name"`
	URL                 string `json:"url"`
	ChecksumType        string `json:"checksum_type"`
	Checksum            string `json:"checksum"`
	Architecture        string `json:"architecture"`
	DefaultArchitecture bool   `json:"default_architecture"`
}

// Record is the store's full account of one box, revoked versions included.
type Record struct {
	Name        string           `json:"name"` // org/box
	Description string           `json:"description,omitempty"`
	Versions    []*RecordVersion `json:"versions"` // ascending by version
}

// RecordVersion is one version of a box in the record.
type RecordVersion struct {
	Version string     `json:"version"`
	Revoked bool       `json:"revoked,omitempty"`
	Boxes   []*BoxFile `json:"boxes"`
	Created time.Time  `json:"created"`
}

// BoxFile is one published .box file.
type BoxFile struct {
	Provider  string    `json:"provider"`
	Arch      string    `json:"architecture"`
	Path      string    `json:"path"` // slash-separated, relative to the catalog folder
	Sha256    string    `json:"sha256"`
	Size      int64     `json:"size"`
	Published time.Time `json:"published"`
}

// Find returns the version v of r, or nil.
func (r *Record) Find(v string) *RecordVersion {
	for _, rv := range r.Versions {
		if rv.Version == v {
			return rv
		}
	}
	return nil
}

// Newest is the highest version in r (revoked or not), or nil when r has none.
func (r *Record) Newest() *RecordVersion {
	if len(r.Versions) == 0 {
		return nil
	}
	return r.Versions[len(r.Versions)-1]
}

func (r *Record) sort() {
	sort.SliceStable(r.Versions, func(i, j int) bool {
		return mustVersion(r.Versions[i].Version).LessThan(mustVersion(r.Versions[j].Version))
	})
}

// validate refuses a record that could not have been written by the store, so a hand-edited
// or foreign file never reaches Vagrant.
func (r *Record) validate() error {
	org, box, ok := strings.Cut(r.Name, "/")
	if !ok {
		return fmt.Errorf("%w record name %q", ErrInvalid, r.Name)
	}
	for _, rv := range r.Versions {
		for _, b := range rv.Boxes {
			e := Entry{org, box, rv.Version, b.Provider, b.Arch}
			if err := e.Validate(); err != nil {
				return err
			}
			if b.Path != e.RelPath() {
				return fmt.Errorf("%w record: %s names path %q", ErrInvalid, e.RelPath(), b.Path)
			}
		}
	}
	return nil
}

// Metadata renders what Vagrant gets: released versions only, ascending, with absolute URLs
// below baseURL, and per provider the default architecture (amd64 if present, else the first
// published) listed last, because Vagrant 2.3.4 keeps the last entry of a provider name.
func (r *Record) Metadata(baseURL string) *Metadata {
	base := strings.TrimRight(baseURL, "/")
	m := &Metadata{Name: r.Name, Description: r.Description, Versions: []*Version{}}
	for _, rv := range r.Versions {
		if rv.Revoked {
			continue
		}
		v := &Version{Version: rv.Version, Providers: []*Provider{}}
		for _, name := range providerNames(rv.Boxes) {
			def := defaultArch(rv.Boxes, name)
			var last *Provider
			for _, b := range rv.Boxes {
				if b.Provider != name {
					continue
				}
				p := &Provider{
					Name: b.Provider, URL: base + "/" + escapePath(b.Path),
					ChecksumType: "sha256", Checksum: b.Sha256,
					Architecture: b.Arch, DefaultArchitecture: b.Arch == def,
				}
				if p.DefaultArchitecture {
					last = p
					continue
				}
				v.Providers = append(v.Providers, p)
			}
			v.Providers = append(v.Providers, last)
		}
		m.Versions = append(m.Versions, v)
	}
	return m
}

func providerNames(boxes []*BoxFile) []string {
	var names []string
	seen := map[string]bool{}
	for _, b := range boxes {
		if !seen[b.Provider] {
			seen[b.Provider] = true
			names = append(names, b.Provider)
		}
	}
	sort.Strings(names)
	return names
}

func defaultArch(boxes []*BoxFile, provider string) string {
	first := ""
	for _, b := range boxes {
		if b.Provider != provider {
			continue
		}
		if b.Arch == "amd64" {
			return b.Arch
		}
		if first == "" {
			first = b.Arch
		}
	}
	return first
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// Filter returns a copy of m with only the versions that satisfy constraint, a Vagrant-style
// constraint ("~> 2.1.0", ">= 1.0, < 2.0"). Unlike RubyGems, go-version never lets a
// prerelease satisfy a constraint that names no prerelease, so a pinned view never offers betas.
func Filter(m *Metadata, constraint string) (*Metadata, error) {
	c, err := version.NewConstraint(constraint)
	if err != nil {
		return nil, fmt.Errorf("%w constraint %q: %v", ErrInvalid, constraint, err)
	}
	out := &Metadata{Name: m.Name, Description: m.Description, Versions: []*Version{}}
	for _, v := range m.Versions {
		pv, err := version.NewVersion(v.Version)
		if err != nil {
			return nil, fmt.Errorf("%w version %q in %s: %v", ErrInvalid, v.Version, m.Name, err)
		}
		if c.Check(pv) {
			out.Versions = append(out.Versions, v)
		}
	}
	return out, nil
}
