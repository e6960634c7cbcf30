package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Verify checks the invariant the store promises: every record and metadata file parses, and
// every box file a record names exists with its recorded size (and, with deep, its checksum).
// Tests run it after crashes; operators can run it after restoring a backup.
func (s *Store) Verify(deep bool) error {
	names, err := s.Boxes()
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range names {
		org, box, _ := strings.Cut(name, "/")
		r, err := s.Load(org, box)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, rv := range r.Versions {
			for _, b := range rv.Boxes {
				if err := checkFile(filepath.Join(s.Dir, filepath.FromSlash(b.Path)), b, deep); err != nil {
					errs = append(errs, fmt.Errorf("%s@%s: %w", name, rv.Version, err))
				}
			}
		}
		errs = append(errs, s.verifyMetadata(org, box))
	}
	return errors.Join(errs...)
}

// verifyMetadata checks the served file, if any, names only versions the record has released
// or had (a stale file after a crash is allowed, a broken one is not).
func (s *Store) verifyMetadata(org, box string) error {
	b, err := os.ReadFile(s.MetadataPath(org, box))
	if errors.Is(err, os.ErrNotExist) && s.BaseURL == "" {
		return nil
	}
	if err != nil {
		return err
	}
	var m Metadata
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("metadata %s: %w", s.MetadataPath(org, box), err)
	}
	for _, v := range m.Versions {
		for _, p := range v.Providers {
			rel, ok := strings.CutPrefix(p.URL, s.BaseURL+"/")
			if !ok {
				return fmt.Errorf("metadata %s: URL %q is not below %s", s.MetadataPath(org, box), p.URL, s.BaseURL)
			}
			if _, err := os.Stat(filepath.Join(s.Dir, filepath.FromSlash(rel))); err != nil {
				return fmt.Errorf("metadata %s names a missing file: %w", s.MetadataPath(org, box), err)
			}
		}
	}
	return nil
}

func checkFile(path string, b *BoxFile, deep bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() != b.Size {
		return fmt.Errorf("%s has %d bytes, record says %d", path, st.Size(), b.Size)
	}
	if !deep {
		return nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != b.Sha256 {
		return fmt.Errorf("%s has sha256 %s, record says %s", path, got, b.Sha256)
	}
	return nil
}
