package publish

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

// Local publishes into a catalog folder.
type Local struct {
	Store *catalog.Store
	// Link hard-links the file into the catalog when both share a filesystem (no copy). Use it
	// for files boxbuild owns (build artifacts), not for files a person may still edit in place.
	Link bool
}

// Publish puts b into the catalog, reading the file exactly once: hashing a hard link, or
// hashing while copying.
func (l *Local) Publish(ctx context.Context, b Box) (Result, error) {
	res := Result{Entry: b.Entry}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	// With a known checksum, an already-published box needs no reading at all.
	if b.Sha256 != "" {
		if have, err := l.Store.Existing(b.Entry); err != nil {
			return res, err
		} else if have != nil {
			if have.Sha256 != b.Sha256 {
				return res, fmt.Errorf("publish %s@%s %s/%s: already published with sha256 %s, not %s: %w",
					b.Entry.Name(), b.Entry.Version, b.Entry.Provider, b.Entry.Arch, have.Sha256, b.Sha256, catalog.ErrConflict)
			}
			res.Sha256, res.Size, res.Unchanged, res.Method = have.Sha256, have.Size, true, "none"
			return res, nil
		}
	}
	p, method, err := l.stage(b)
	if err != nil {
		return res, err
	}
	defer p.Abort()
	res.Method = method
	var sum string
	var n int64
	if method == "link" {
		sum, n, err = hashFile(p.File())
	} else {
		src, oerr := os.Open(b.File)
		if oerr != nil {
			return res, fmt.Errorf("publish: %w", oerr)
		}
		defer src.Close()
		sum, n, err = copyHashed(p.File(), src)
	}
	if err != nil {
		return res, fmt.Errorf("publish %s: %w", b.File, err)
	}
	if b.Sha256 != "" && sum != b.Sha256 {
		return res, fmt.Errorf("publish %s: sha256 is %s, the build record says %s (file changed since the build?)", b.File, sum, b.Sha256)
	}
	if b.Size != 0 && n != b.Size {
		return res, fmt.Errorf("publish %s: %d bytes, the build record says %d", b.File, n, b.Size)
	}
	cr, err := p.Commit(sum, n, b.Description)
	res.Sha256, res.Size, res.Unchanged = cr.Sha256, cr.Size, cr.Unchanged
	return res, err
}

func (l *Local) stage(b Box) (*catalog.Pending, string, error) {
	if l.Link {
		p, err := l.Store.Link(b.Entry, b.File)
		if err == nil {
			return p, "link", nil
		}
		var le *os.LinkError
		if errors.Is(err, catalog.ErrInvalid) || !errors.As(err, &le) {
			return nil, "", err
		}
		// Another filesystem or no link support: copy instead.
	}
	if _, err := os.Stat(b.File); err != nil {
		return nil, "", fmt.Errorf("publish: %w", err)
	}
	p, err := l.Store.Create(b.Entry)
	return p, "copy", err
}
