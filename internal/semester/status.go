package semester

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/config"
)

// Source gives the metadata Vagrant sees for a box (released versions only).
type Source interface {
	Metadata(org, box string) (*catalog.Metadata, error)
}

// StoreSource reads metadata from a local catalog folder.
type StoreSource struct{ Store *catalog.Store }

// Metadata implements Source; a box that was never published has no versions.
func (s StoreSource) Metadata(org, box string) (*catalog.Metadata, error) {
	r, err := s.Store.Load(org, box)
	if errors.Is(err, catalog.ErrNotFound) {
		return &catalog.Metadata{Name: org + "/" + box, Versions: []*catalog.Version{}}, nil
	}
	if err != nil {
		return nil, err
	}
	return r.Metadata(s.Store.BaseURL), nil
}

// Status is the state of one semester's pins against a catalog.
type Status struct {
	Semester string         `json:"semester"`
	Starts   string         `json:"starts"`
	Ends     string         `json:"ends"`
	Active   bool           `json:"active"`
	Courses  []CourseStatus `json:"courses"`
	Missing  int            `json:"missing"` // courses whose pin nothing published satisfies
}

// CourseStatus is one course's pin and what satisfies it.
type CourseStatus struct {
	Course    string   `json:"course"`
	Box       string   `json:"box"` // org/box
	Pin       string   `json:"pin"`
	Resolves  string   `json:"resolves,omitempty"` // newest published version within the pin
	Providers []string `json:"providers,omitempty"`
	Latest    string   `json:"latest,omitempty"` // newest published version of the box at all
	Missing   bool     `json:"missing"`
}

// Check compares every course of s with what src has published.
func Check(ws *config.Workspace, s *config.Semester, src Source, now time.Time) (*Status, error) {
	st := &Status{Semester: s.Name, Starts: s.Starts.Format(time.DateOnly), Ends: s.Ends.Format(time.DateOnly),
		Active: s.Active(now), Courses: []CourseStatus{}}
	for _, c := range s.Courses {
		cs := CourseStatus{Course: c.Name, Box: ws.Org + "/" + c.Box, Pin: c.Version}
		m, err := src.Metadata(ws.Org, c.Box)
		if err != nil {
			return nil, fmt.Errorf("course %s: %w", c.Name, err)
		}
		cs.Latest = newest(m).Version
		pinned, err := catalog.Filter(m, c.Version)
		if err != nil {
			return nil, fmt.Errorf("course %s: %w", c.Name, err)
		}
		if v := newest(pinned); v.Version != "" {
			cs.Resolves = v.Version
			for _, p := range v.Providers {
				if !contains(cs.Providers, p.Name) {
					cs.Providers = append(cs.Providers, p.Name)
				}
			}
		} else {
			cs.Missing = true
			st.Missing++
		}
		st.Courses = append(st.Courses, cs)
	}
	return st, nil
}

// newest is the highest version in m, or an empty Version.
func newest(m *catalog.Metadata) *catalog.Version {
	best, bestV := &catalog.Version{}, (*version.Version)(nil)
	for _, v := range m.Versions {
		pv, err := version.NewVersion(v.Version)
		if err != nil {
			continue
		}
		if bestV == nil || pv.GreaterThan(bestV) {
			best, bestV = v, pv
		}
	}
	return best
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
