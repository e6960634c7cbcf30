package catalog

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/boxbuild/boxbuild/internal/atomicfile"
)

// ErrConflict says a version already holds different content: published versions are immutable.
var ErrConflict = errors.New("conflict")

var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// tempPrefix marks box files still being written; they are hidden and never named by a record.
const tempPrefix = atomicfile.TempPrefix

// Pending is a box file on its way into the catalog: a hidden temporary file in its final
// folder, so the rename that publishes it never crosses a filesystem.
type Pending struct {
	s     *Store
	e     Entry
	f     *os.File
	path  string
	ended bool
}

// Create starts a new box file for e; the caller writes the content to File, hashing it in the
// same pass, then calls Commit or Abort.
func (s *Store) Create(e Entry) (*Pending, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	dir := filepath.Dir(filepath.Join(s.Dir, filepath.FromSlash(e.RelPath())))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("publish %s: %w", e.RelPath(), err)
	}
	f, err := os.CreateTemp(dir, tempPrefix+e.Arch+".box-*")
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", e.RelPath(), err)
	}
	return &Pending{s: s, e: e, f: f, path: f.Name()}, nil
}

// Link starts a box file for e as a hard link to src, when both lie on one filesystem: no
// byte is copied. The link is opened read-only so the caller can hash it. It fails (and the
// caller copies instead) across filesystems.
func (s *Store) Link(e Entry, src string) (*Pending, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	dir := filepath.Dir(filepath.Join(s.Dir, filepath.FromSlash(e.RelPath())))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("publish %s: %w", e.RelPath(), err)
	}
	tmp := filepath.Join(dir, fmt.Sprintf("%s%s.box-link-%d-%d", tempPrefix, e.Arch, os.Getpid(), time.Now().UnixNano()))
	if err := os.Link(src, tmp); err != nil {
		return nil, err
	}
	f, err := os.Open(tmp)
	if err != nil {
		os.Remove(tmp)
		return nil, err
	}
	return &Pending{s: s, e: e, f: f, path: tmp}, nil
}

// File is the temporary file to write (Create) or read (Link).
func (p *Pending) File() *os.File { return p.f }

// Entry is what the pending file will become.
func (p *Pending) Entry() Entry { return p.e }

// Abort removes the temporary file.
func (p *Pending) Abort() {
	if p.ended {
		return
	}
	p.ended = true
	p.f.Close()
	os.Remove(p.path)
}

// Result says what Commit did.
type Result struct {
	Entry     Entry
	Sha256    string
	Size      int64
	Unchanged bool // the same content was already published: nothing changed
}

// Commit publishes the file: it checks size and checksum, which the caller computed while
// writing or reading it, refuses different content under an existing version (ErrConflict),
// and otherwise moves the file into place before the record names it. description, if not
// empty, replaces the box's description.
func (p *Pending) Commit(sha256hex string, size int64, description string) (Result, error) {
	if p.ended {
		return Result{}, errors.New("publish: pending file already committed or aborted")
	}
	defer p.Abort()
	res := Result{Entry: p.e, Sha256: sha256hex, Size: size}
	if !sha256RE.MatchString(sha256hex) {
		return res, fmt.Errorf("%w sha256 %q for %s", ErrInvalid, sha256hex, p.e.RelPath())
	}
	if err := p.f.Sync(); err != nil {
		return res, fmt.Errorf("publish %s: %w", p.e.RelPath(), err)
	}
	st, err := p.f.Stat()
	if err != nil {
		return res, fmt.Errorf("publish %s: %w", p.e.RelPath(), err)
	}
	if st.Size() != size {
		return res, fmt.Errorf("publish %s: file has %d bytes, expected %d", p.e.RelPath(), st.Size(), size)
	}
	if err := p.f.Close(); err != nil {
		return res, fmt.Errorf("publish %s: %w", p.e.RelPath(), err)
	}
	final := filepath.Join(p.s.Dir, filepath.FromSlash(p.e.RelPath()))
	err = p.s.update(p.e.Org, p.e.Box, func(r *Record) error {
		rv := r.Find(p.e.Version)
		if b := rv.find(p.e.Provider, p.e.Arch); b != nil {
			if b.Sha256 != sha256hex {
				return fmt.Errorf("%w: %s@%s %s/%s is already published with sha256 %s, not %s; published versions never change, publish a new version",
					ErrConflict, r.Name, p.e.Version, p.e.Provider, p.e.Arch, b.Sha256, sha256hex)
			}
			res.Unchanged = true
			return errUnchanged
		}
		// A file already at final is an orphan of a crash (no record named it): replacing it is safe.
		if err := os.Chmod(p.path, 0o444); err != nil {
			return err
		}
		if err := os.Rename(p.path, final); err != nil {
			return err
		}
		p.ended = true
		if err := atomicfile.SyncDir(filepath.Dir(final)); err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Second)
		if rv == nil {
			rv = &RecordVersion{Version: p.e.Version, Created: now}
			r.Versions = append(r.Versions, rv)
		}
		rv.Boxes = append(rv.Boxes, &BoxFile{
			Provider: p.e.Provider, Arch: p.e.Arch, Path: p.e.RelPath(),
			Sha256: sha256hex, Size: size, Published: now,
		})
		if description != "" {
			r.Description = description
		}
		return nil
	})
	if errors.Is(err, errUnchanged) {
		return res, nil
	}
	if err != nil {
		return res, fmt.Errorf("publish %s: %w", p.e.RelPath(), err)
	}
	return res, nil
}

// errUnchanged lets an update callback stop without saving.
var errUnchanged = errors.New("unchanged")

func (rv *RecordVersion) find(provider, arch string) *BoxFile {
	if rv == nil {
		return nil
	}
	for _, b := range rv.Boxes {
		if b.Provider == provider && b.Arch == arch {
			return b
		}
	}
	return nil
}

// Existing returns the published file for e, or nil; callers use it to skip uploads early.
func (s *Store) Existing(e Entry) (*BoxFile, error) {
	r, err := s.Load(e.Org, e.Box)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return r.Find(e.Version).find(e.Provider, e.Arch), nil
}
