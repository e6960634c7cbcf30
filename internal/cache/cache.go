// Package cache maps a build's action ID to the artifact it produced, so a build whose inputs
// did not change is never run again. Entries are small JSON files under <stateDir>/cache;
// a malformed or stale entry (its .box gone or changed in size) is a miss, never an error.
package cache

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/boxbuild/boxbuild/internal/artifact"
	"github.com/boxbuild/boxbuild/internal/atomicfile"
)

// Entry is what one successful build left behind.
type Entry struct {
	ActionID string            `json:"action_id"`
	Lines    []string          `json:"lines"` // the hashed inputs, to explain the next rebuild
	Artifact artifact.Artifact `json:"artifact"`
	// OutputDir is Packer's output folder, kept because a derived box starts from the disk
	// inside it.
	OutputDir string `json:"output_dir"`
	// DiskSHA256 is the checksum of the disk in OutputDir that derived boxes start from.
	DiskSHA256 string `json:"disk_sha256,omitempty"`
}

// Cache is the index in one state folder.
type Cache struct{ dir string }

// Open returns the cache of stateDir; nothing is created until Put.
func Open(stateDir string) *Cache { return &Cache{dir: filepath.Join(stateDir, "cache")} }

var idPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

func (c *Cache) entryPath(id string) string { return filepath.Join(c.dir, id[:2], id+".json") }

func (c *Cache) lastPath(box, provider, arch string) string {
	return filepath.Join(c.dir, "last", box, provider+"-"+arch+".json")
}

// Get returns the entry for id when it is well-formed and its .box is still there.
func (c *Cache) Get(id string) (*Entry, bool) {
	if !idPattern.MatchString(id) {
		return nil, false
	}
	e, ok := readEntry(c.entryPath(id))
	if !ok || e.ActionID != id {
		return nil, false
	}
	fi, err := os.Stat(e.Artifact.File)
	if err != nil || fi.Size() != e.Artifact.Size {
		return nil, false
	}
	return e, true
}

// Last returns the most recent entry built for box × provider × arch, whatever its inputs:
// comparing its lines with the new ones says why a rebuild is needed.
func (c *Cache) Last(box, provider, arch string) (*Entry, bool) {
	return readEntry(c.lastPath(box, provider, arch))
}

// Put records e under its action ID and as the latest build of its target.
func (c *Cache) Put(e *Entry) error {
	if !idPattern.MatchString(e.ActionID) {
		return fmt.Errorf("cache: invalid action ID %q", e.ActionID)
	}
	if err := e.Artifact.Validate(); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	a := e.Artifact
	for _, p := range []string{c.entryPath(e.ActionID), c.lastPath(a.Box, a.Provider, a.Arch)} {
		if err := atomicfile.Write(p, data, 0o644); err != nil {
			return fmt.Errorf("cache: %w", err)
		}
	}
	return nil
}

func readEntry(p string) (*Entry, bool) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	var e Entry
	if json.Unmarshal(data, &e) != nil || e.Artifact.Validate() != nil {
		return nil, false
	}
	return &e, true
}
