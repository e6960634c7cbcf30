// Package artifact records the boxes the build engine produced, one small JSON file per built
// .box, so `boxbuild publish` can find them later without rebuilding or re-hashing anything.
//
// Layout: <stateDir>/artifacts/<box>/<version>/<provider>-<arch>.json
package artifact

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"

	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/atomicfile"
)

// Artifact describes one built .box file.
type Artifact struct {
	Box             string    `json:"box"`
	Version         string    `json:"version"`
	Provider        string    `json:"provider"`
	Arch            string    `json:"arch"`
	File            string    `json:"file"` // absolute path of the .box
	Sha256          string    `json:"sha256"`
	Size            int64     `json:"size"`
	BuiltAt         time.Time `json:"built_at"` // RFC3339 in the file
	PackerVersion   string    `json:"packer_version"`
	BoxbuildVersion string    `json:"boxbuild_version"`
	GitRevision     string    `json:"git_revision"`
	GitDirty        bool      `json:"git_dirty"`
	ActionID        string    `json:"action_id"`
}

// Names become path elements, so they are restricted to a safe alphabet.
var (
	nameRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	sha256RE  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	errLayout = errors.New("invalid artifact")
)

// Validate reports the first problem that would make the record unusable for publishing.
func (a *Artifact) Validate() error {
	for _, f := range []struct{ name, v string }{{"box", a.Box}, {"version", a.Version}, {"provider", a.Provider}, {"arch", a.Arch}} {
		if !nameRE.MatchString(f.v) || f.v == "." || f.v == ".." {
			return fmt.Errorf("%w: %s %q must be letters, digits, '.', '_' or '-'", errLayout, f.name, f.v)
		}
	}
	if _, err := version.NewVersion(a.Version); err != nil {
		return fmt.Errorf("%w: version %q: %v", errLayout, a.Version, err)
	}
	if !filepath.IsAbs(a.File) {
		return fmt.Errorf("%w: file %q is not an absolute path", errLayout, a.File)
	}
	if !sha256RE.MatchString(a.Sha256) {
		return fmt.Errorf("%w: sha256 %q is not 64 lowercase hex digits", errLayout, a.Sha256)
	}
	if a.Size < 0 {
		return fmt.Errorf("%w: negative size %d", errLayout, a.Size)
	}
	return nil
}

// Path is where the record of a lives below stateDir.
func Path(stateDir string, a *Artifact) string {
	return filepath.Join(stateDir, "artifacts", a.Box, a.Version, a.Provider+"-"+a.Arch+".json")
}

// Write stores a's record atomically: a reader sees the old record or the new one, never half.
func Write(stateDir string, a *Artifact) error {
	if err := a.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(Path(stateDir, a), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write artifact record: %w", err)
	}
	return nil
}

// List returns every valid record under stateDir, sorted by box, version (ascending),
// provider and arch. A missing artifacts folder is an empty list; a malformed record is an
// error naming its file, since publishing around it silently would hide a broken build.
func List(stateDir string) ([]*Artifact, error) {
	root := filepath.Join(stateDir, "artifacts")
	var out []*Artifact
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() || filepath.Ext(p) != ".json" || d.Name()[0] == '.' {
			return nil
		}
		a, err := read(p)
		if err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list artifacts: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out, nil
}

func read(p string) (*Artifact, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var a Artifact
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if err := a.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return &a, nil
}

func less(a, b *Artifact) bool {
	if a.Box != b.Box {
		return a.Box < b.Box
	}
	if c := version.Must(version.NewVersion(a.Version)).Compare(version.Must(version.NewVersion(b.Version))); c != 0 {
		return c < 0
	}
	if a.Provider != b.Provider {
		return a.Provider < b.Provider
	}
	return a.Arch < b.Arch
}

// Latest returns, for box, the record with the highest version per provider and arch, sorted
// by provider and arch. A box with no records gives an empty list.
func Latest(stateDir, box string) ([]*Artifact, error) {
	all, err := List(stateDir)
	if err != nil {
		return nil, err
	}
	best := map[string]*Artifact{}
	var keys []string
	for _, a := range all { // ascending versions: the last one seen per key wins
		if a.Box != box {
			continue
		}
		k := a.Provider + "\x00" + a.Arch
		if _, ok := best[k]; !ok {
			keys = append(keys, k)
		}
		best[k] = a
	}
	sort.Strings(keys)
	out := make([]*Artifact, 0, len(keys))
	for _, k := range keys {
		out = append(out, best[k])
	}
	return out, nil
}
