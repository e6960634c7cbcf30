package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gofrs/flock"

	"github.com/boxbuild/boxbuild/internal/atomicfile"
)

// StateDir is the store's own folder inside a catalog; servers never expose it.
const StateDir = ".boxbuild-catalog"

// ErrNotFound says a box or version is not in the catalog.
var ErrNotFound = errors.New("not found")

// Store is a catalog folder. BaseURL is the public URL the folder is served under; the
// metadata files are written with it. With BaseURL empty only the records are kept, and the
// catalog must be served by `boxbuild serve`, which renders metadata per request.
type Store struct {
	Dir     string
	BaseURL string
}

// Open returns the store in dir, creating the folder and its state folder. An empty baseURL
// means the one remembered by SaveBaseURL, if any.
func Open(dir, baseURL string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open catalog %s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Join(abs, StateDir), 0o755); err != nil {
		return nil, fmt.Errorf("open catalog: %w", err)
	}
	s := &Store{Dir: abs, BaseURL: strings.TrimRight(baseURL, "/")}
	if s.BaseURL == "" {
		var set settings
		if b, err := os.ReadFile(s.settingsPath()); err == nil {
			if err := json.Unmarshal(b, &set); err != nil {
				return nil, fmt.Errorf("open catalog: %s: %w", s.settingsPath(), err)
			}
			s.BaseURL = strings.TrimRight(set.BaseURL, "/")
		}
	}
	return s, nil
}

// settings are what a catalog remembers about itself, so later commands (revoke, prune) can
// rewrite the metadata without being told the base URL again.
type settings struct {
	BaseURL string `json:"base_url"`
}

func (s *Store) settingsPath() string { return filepath.Join(s.Dir, StateDir, "settings.json") }

// SaveBaseURL remembers s.BaseURL for later Opens without one.
func (s *Store) SaveBaseURL() error {
	b, err := json.Marshal(settings{BaseURL: s.BaseURL})
	if err != nil {
		return err
	}
	return atomicfile.Write(s.settingsPath(), append(b, '\n'), 0o644)
}

// RecordPath is where the record of org/box lives.
func (s *Store) RecordPath(org, box string) string {
	return filepath.Join(s.Dir, StateDir, org, box+".json")
}

// MetadataPath is where the served metadata of org/box lives.
func (s *Store) MetadataPath(org, box string) string {
	return filepath.Join(s.Dir, org, box+".json")
}

// Load reads the record of org/box without locking: records are replaced by rename, so a
// reader sees a whole old or a whole new one.
func (s *Store) Load(org, box string) (*Record, error) {
	if err := ValidateName(org, box); err != nil {
		return nil, err
	}
	return LoadRecord(s.RecordPath(org, box))
}

// LoadRecord reads and checks one record file.
func LoadRecord(path string) (*Record, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("catalog record %s: %w", path, err)
	}
	if err := r.validate(); err != nil {
		return nil, fmt.Errorf("catalog record %s: %w", path, err)
	}
	return &r, nil
}

// Boxes lists the "org/box" names that have a record, sorted.
func (s *Store) Boxes() ([]string, error) {
	root := filepath.Join(s.Dir, StateDir)
	orgs, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("list catalog: %w", err)
	}
	var names []string
	for _, o := range orgs {
		if !o.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(root, o.Name()))
		if err != nil {
			return nil, fmt.Errorf("list catalog: %w", err)
		}
		for _, f := range files {
			box, ok := strings.CutSuffix(f.Name(), ".json")
			if f.IsDir() {
				continue
			}
			if ok && ValidateName(o.Name(), box) == nil {
				names = append(names, o.Name()+"/"+box)
			}
		}
	}
	sort.Strings(names)
	return names, nil
}

// lock takes the catalog-wide lock; publishers hold it only while records change, never while
// a box file is copied.
func (s *Store) lock() (unlock func(), err error) {
	l := flock.New(filepath.Join(s.Dir, StateDir, "lock"))
	if err := l.Lock(); err != nil {
		return nil, fmt.Errorf("lock catalog %s: %w", s.Dir, err)
	}
	return func() { _ = l.Unlock() }, nil
}

// update runs fn on the record of org/box (a new empty one when none exists) under the lock
// and, if fn succeeds, saves the record and then the derived metadata.
func (s *Store) update(org, box string, fn func(*Record) error) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	r, err := s.Load(org, box)
	if errors.Is(err, ErrNotFound) {
		r, err = &Record{Name: org + "/" + box, Versions: []*RecordVersion{}}, nil
	}
	if err != nil {
		return err
	}
	if err := fn(r); err != nil {
		return err
	}
	return s.save(org, box, r)
}

func (s *Store) save(org, box string, r *Record) error {
	r.sort()
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(s.RecordPath(org, box), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("save catalog record: %w", err)
	}
	// The metadata is derived; if this write fails or the process dies here, the next change
	// rewrites it, and the old one still names only files that exist (deletes remove files last).
	if s.BaseURL == "" {
		return nil
	}
	mb, err := json.MarshalIndent(r.Metadata(s.BaseURL), "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(s.MetadataPath(org, box), append(mb, '\n'), 0o644); err != nil {
		return fmt.Errorf("save catalog metadata: %w", err)
	}
	return nil
}
