package catalog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Revoke hides org/box@version from the served metadata; its files stay, so Release can bring
// it back. Vagrant ignores a "status" field, so leaving the version out is the only way.
func (s *Store) Revoke(org, box, version string) error {
	return s.setRevoked(org, box, version, true)
}

// Release makes a revoked version visible again.
func (s *Store) Release(org, box, version string) error {
	return s.setRevoked(org, box, version, false)
}

func (s *Store) setRevoked(org, box, version string, revoked bool) error {
	if err := ValidateVersion(version); err != nil {
		return err
	}
	return s.update(org, box, func(r *Record) error {
		rv := r.Find(version)
		if rv == nil {
			return fmt.Errorf("%s/%s@%s: %w", org, box, version, ErrNotFound)
		}
		if rv.Revoked == revoked {
			return errUnchanged
		}
		rv.Revoked = revoked
		return nil
	})
}

// ErrProtected says a version may not be removed: it is the newest of its box, or pinned.
var ErrProtected = errors.New("protected")

// Delete removes org/box@version and its files. It refuses the newest version of the box and
// any version pins protects. The record changes first and the files go last, so no metadata
// ever names a missing file.
func (s *Store) Delete(org, box, version string, pins Pins) error {
	if err := ValidateVersion(version); err != nil {
		return err
	}
	var gone *RecordVersion
	err := s.update(org, box, func(r *Record) error {
		rv := r.Find(version)
		if rv == nil {
			return fmt.Errorf("%s/%s@%s: %w", org, box, version, ErrNotFound)
		}
		if why := protection(r, rv, pins); why != "" {
			return fmt.Errorf("%s/%s@%s is %s: %w", org, box, version, why, ErrProtected)
		}
		gone = rv
		r.Versions = without(r.Versions, rv)
		return nil
	})
	if err != nil {
		if errors.Is(err, errUnchanged) {
			return nil
		}
		return err
	}
	return s.removeFiles(gone)
}

// protection says why rv may not be removed from r, or "".
func protection(r *Record, rv *RecordVersion, pins Pins) string {
	if r.Newest() == rv {
		return "the newest version of its box"
	}
	if pins != nil {
		if sem, ok := pins.Protects(r.Name, rv.Version); ok {
			return "pinned by semester " + sem
		}
	}
	return ""
}

func without(vs []*RecordVersion, drop *RecordVersion) []*RecordVersion {
	out := make([]*RecordVersion, 0, len(vs))
	for _, v := range vs {
		if v != drop {
			out = append(out, v)
		}
	}
	return out
}

// removeFiles deletes a removed version's box files and the folders they leave empty.
func (s *Store) removeFiles(rv *RecordVersion) error {
	var errs []error
	for _, b := range rv.Boxes {
		p := filepath.Join(s.Dir, filepath.FromSlash(b.Path))
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		// The provider folder, then the version folder; Remove leaves non-empty ones alone.
		os.Remove(filepath.Dir(p))
		os.Remove(filepath.Dir(filepath.Dir(p)))
	}
	return errors.Join(errs...)
}
