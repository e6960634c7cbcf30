package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/go-version"
)

// Pins says which versions a running semester needs. box is the catalog name "org/box".
type Pins interface {
	Protects(box, version string) (semester string, ok bool)
}

// Pin is one course's constraint on a box during a semester.
type Pin struct {
	Semester   string
	Box        string // catalog name, "org/box"
	Constraint string // Vagrant-style, e.g. "~> 2.1.0"
}

// PinSet protects every version that satisfies some pin's constraint: any of them may be what
// a student's `vagrant up` resolves to during the semester.
type PinSet []Pin

var _ Pins = PinSet(nil)

// Protects implements Pins.
func (ps PinSet) Protects(box, v string) (string, bool) {
	pv, err := version.NewVersion(v)
	if err != nil {
		return "", false
	}
	for _, p := range ps {
		if p.Box != box {
			continue
		}
		c, err := version.NewConstraint(p.Constraint)
		if err != nil {
			// An unreadable pin protects everything of its box: losing a course's box is worse.
			return p.Semester, true
		}
		if c.Check(pv) {
			return p.Semester, true
		}
	}
	return "", false
}

// Removal is one version prune removes (or would remove).
type Removal struct {
	Box     string // org/box
	Version string
	Revoked bool
}

// PlanPrune lists, per box, the versions beyond the keep newest released ones, except the
// newest version overall and any pinned version. keep below 1 counts as 1.
func (s *Store) PlanPrune(keep int, pins Pins) ([]Removal, error) {
	if keep < 1 {
		keep = 1
	}
	names, err := s.Boxes()
	if err != nil {
		return nil, err
	}
	var out []Removal
	for _, name := range names {
		org, box, _ := strings.Cut(name, "/")
		r, err := s.Load(org, box)
		if err != nil {
			return nil, err
		}
		kept := 0
		for i := len(r.Versions) - 1; i >= 0; i-- {
			rv := r.Versions[i]
			if !rv.Revoked && kept < keep {
				kept++
				continue
			}
			if protection(r, rv, pins) != "" {
				continue
			}
			out = append(out, Removal{Box: name, Version: rv.Version, Revoked: rv.Revoked})
		}
	}
	return out, nil
}

// Prune removes what PlanPrune lists, one version at a time (each under the lock, with the
// rules checked again), and removes temporary files of crashed publishers older than an hour.
func (s *Store) Prune(keep int, pins Pins) ([]Removal, error) {
	plan, err := s.PlanPrune(keep, pins)
	if err != nil {
		return nil, err
	}
	var done []Removal
	for _, rm := range plan {
		org, box, _ := strings.Cut(rm.Box, "/")
		if err := s.Delete(org, box, rm.Version, pins); err != nil {
			return done, fmt.Errorf("prune: %w", err)
		}
		done = append(done, rm)
	}
	return done, s.CleanTemp(time.Hour)
}

// CleanTemp removes box, record and metadata files that writers left half-written (killed,
// power loss) and that are older than age; younger ones may belong to a writer still running.
func (s *Store) CleanTemp(age time.Duration) error {
	cutoff := time.Now().Add(-age)
	var errs []error
	err := filepath.WalkDir(s.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasPrefix(d.Name(), tempPrefix) {
			return nil
		}
		if info, err := d.Info(); err == nil && info.ModTime().Before(cutoff) {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
		return nil
	})
	return errors.Join(append(errs, err)...)
}
