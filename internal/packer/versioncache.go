package packer

import (
	"context"
	"encoding/json"
	"os"

	"github.com/hashicorp/go-version"

	"github.com/boxbuild/boxbuild/internal/atomicfile"
)

// versionStamp identifies one packer binary on disk.
type versionStamp struct {
	Path    string `json:"path"`
	Size    int64  `json:"size"`
	ModTime int64  `json:"mod_time"`
	Version string `json:"version"`
}

// CachedVersion is Version, remembered in file for as long as the binary at p.Path keeps its
// size and modification time. `packer version` takes a quarter of a second, which would be
// most of a no-op `boxbuild all`.
func (p *Packer) CachedVersion(ctx context.Context, file string) (*version.Version, error) {
	fi, err := os.Stat(p.Path)
	if err != nil {
		return nil, err
	}
	want := versionStamp{Path: p.Path, Size: fi.Size(), ModTime: fi.ModTime().UnixNano()}
	var got versionStamp
	if data, err := os.ReadFile(file); err == nil && json.Unmarshal(data, &got) == nil {
		if v, err := version.NewVersion(got.Version); err == nil && got.Path == want.Path && got.Size == want.Size && got.ModTime == want.ModTime {
			return v, nil
		}
	}
	v, err := p.Version(ctx)
	if err != nil {
		return nil, err
	}
	want.Version = v.String()
	if data, err := json.Marshal(want); err == nil {
		// A failure (a read-only folder) only costs the next run the same quarter second.
		_ = atomicfile.Write(file, data, 0o644)
	}
	return v, nil
}
