package provisiontest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"
)

// volatile are the rootfs paths left out of the manifest, and why:
var volatile = map[string]bool{
	"proc": true, "sys": true, "dev": true, "run": true, "tmp": true, // mount points of the run
	"var/log":           true, // logs grow on every run by design (apt's history, dpkg.log)
	"var/cache/apt":     true, // downloaded .debs (a mounted cache) and apt's binary caches
	"var/lib/apt/lists": true, // the mirror's current index: it may change between two runs
	// Database engines rewrite their files (redo logs, checkpoints) whenever they start; their
	// state is compared by each group's SQL probe instead.
	"var/lib/mysql":      true,
	"var/lib/postgresql": true,
}

// manifest maps each path of a rootfs to a line describing it: type, mode, owner, and the
// sha256 of a file's content or a symlink's target. Timestamps are left out: rewriting a file
// with the same bytes is not a change a user could notice.
type manifest map[string]string

type hashed struct {
	ino, size    uint64
	mtime, ctime syscall.Timespec
	sum          string
}

// hasher remembers content hashes by inode, size and times, so the second snapshot of a large
// rootfs only re-reads files that were touched.
type hasher struct{ seen map[string]hashed }

func newHasher() *hasher { return &hasher{seen: map[string]hashed{}} }

func (h *hasher) snapshot(root string) (manifest, error) {
	m := manifest{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if volatile[rel] {
			return filepath.SkipDir
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		st := info.Sys().(*syscall.Stat_t)
		line := fmt.Sprintf("%s %d:%d", info.Mode(), st.Uid, st.Gid)
		switch {
		case info.Mode().IsRegular():
			sum, err := h.sum(path, st)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" size=%d sha256=%s", info.Size(), sum)
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			line += " -> " + target
		}
		m[rel] = line
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", root, err)
	}
	return m, nil
}

func (h *hasher) sum(path string, st *syscall.Stat_t) (string, error) {
	key := hashed{ino: st.Ino, size: uint64(st.Size), mtime: st.Mtim, ctime: st.Ctim}
	if old, ok := h.seen[path]; ok {
		old.sum = ""
		if old == key {
			return h.seen[path].sum, nil
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	d := sha256.New()
	if _, err := io.Copy(d, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", path, err)
	}
	key.sum = hex.EncodeToString(d.Sum(nil))
	h.seen[path] = key
	return key.sum, nil
}

// diffManifests lists what changed from a to b, one line per path, sorted.
func diffManifests(a, b manifest) []string {
	var out []string
	for p, old := range a {
		switch now, ok := b[p]; {
		case !ok:
			out = append(out, "removed  /"+p+"  ("+old+")")
		case now != old:
			out = append(out, "changed  /"+p+"  ("+old+" => "+now+")")
		}
	}
	for p, now := range b {
		if _, ok := a[p]; !ok {
			out = append(out, "added    /"+p+"  ("+now+")")
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][9:] < out[j][9:] })
	return out
}
