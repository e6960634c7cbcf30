// Package fetch downloads ISOs and disk images into a cache with go-getter, always against
// a checksum: a source without one is refused before any byte is fetched, a download that
// does not match is deleted, and a file already in the cache is verified and reused
// without touching the network. An interrupted download is resumed with an HTTP Range
// request the next time, where the server supports ranges.
package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/gofrs/flock"
)

// Progress reports a download as it runs.
type Progress struct {
	URL   string
	Done  int64 // bytes in the file so far, a resumed part included
	Total int64 // expected size; 0 when the server did not say
}

// Fetcher downloads into CacheDir.
type Fetcher struct {
	CacheDir string
	// OnProgress, when set, is called as bytes arrive (often: throttle what you print).
	OnProgress func(Progress)
}

// Result is a file in the cache.
type Result struct {
	Path     string // the verified file
	Checksum string // the checksum it was verified against, "sha256:<hex>" or "sha512:<hex>"
	Size     int64
	CacheHit bool // true when no download happened
}

// entry is what the cache keeps beside each file: the checksum a "file:" checksum
// resolved to, so a cache hit needs no network to fetch the SUMS file again.
type entry struct {
	URL      string `json:"url"`
	Checksum string `json:"checksum"` // as given
	Resolved string `json:"resolved"` // type:hex actually verified
	Size     int64  `json:"size"`
}

const entryName = "fetch.json"

// Fetch returns src from the cache, downloading it first when needed. checksum is
// mandatory, in go-getter's syntax: "sha256:<hex>", "sha512:<hex>" or "file:<url of a
// SUMS file>" (whose line for src's file name must be a SHA-256 or SHA-512 sum).
func (f *Fetcher) Fetch(ctx context.Context, src, checksum string) (Result, error) {
	if err := checkChecksum(checksum); err != nil {
		return Result{}, fmt.Errorf("fetch %s: %w", src, err)
	}
	u, err := url.Parse(src)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file") {
		return Result{}, fmt.Errorf("fetch %s: not an http, https or file URL", src)
	}
	dir := filepath.Join(f.CacheDir, key(src, checksum))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Result{}, fmt.Errorf("fetch %s: %w", src, err)
	}
	// Two builds that need the same ISO must not write the same partial file.
	lock := flock.New(filepath.Join(dir, ".lock"))
	if err := lock.Lock(); err != nil {
		return Result{}, fmt.Errorf("fetch %s: lock the cache entry: %w", src, err)
	}
	defer lock.Unlock()

	final := filepath.Join(dir, fileName(u))
	if r, ok := f.hit(dir, final); ok {
		return r, nil
	}
	r, err := f.download(ctx, src, checksum, dir, final)
	if err != nil {
		return Result{}, fmt.Errorf("fetch %s: %w", src, err)
	}
	return r, nil
}

// checkChecksum refuses a missing checksum and weak or unknown types before any download.
func checkChecksum(c string) error {
	typ, val, ok := strings.Cut(c, ":")
	switch {
	case c == "" || c == "none":
		return errors.New(`a checksum is required ("sha256:<hex>", "sha512:<hex>" or "file:<url of a SUMS file>")`)
	case !ok || val == "":
		return fmt.Errorf("checksum %q: want TYPE:VALUE, e.g. sha256:<hex>", c)
	case typ == "file":
		return nil
	case typ != "sha256" && typ != "sha512":
		return fmt.Errorf("checksum type %q is not accepted: use sha256 or sha512", typ)
	}
	if _, err := hex.DecodeString(val); err != nil || len(val) != map[string]int{"sha256": 64, "sha512": 128}[typ] {
		return fmt.Errorf("checksum %q: not a %s digest in hex", c, typ)
	}
	return nil
}

// key names a cache entry after the URL and the checksum it was asked with: the same URL
// with another checksum (a new release under the same name) is another entry.
func key(src, checksum string) string {
	h := sha256.Sum256([]byte(src + "\n" + checksum + "\n"))
	return hex.EncodeToString(h[:12])
}

// fileName is the last element of the URL path, or "download" when there is none usable.
func fileName(u *url.URL) string {
	b := path.Base(u.Path)
	if b == "." || b == "/" || b == ".." || b == "" || strings.HasPrefix(b, ".") {
		return "download"
	}
	return b
}

// hit reports a verified cache entry. Anything wrong with it makes it a miss.
func (f *Fetcher) hit(dir, final string) (Result, bool) {
	b, err := os.ReadFile(filepath.Join(dir, entryName))
	if err != nil {
		return Result{}, false
	}
	var e entry
	if json.Unmarshal(b, &e) != nil {
		return Result{}, false
	}
	fi, err := os.Stat(final)
	if err != nil || fi.Size() != e.Size {
		return Result{}, false
	}
	if err := verify(final, e.Resolved); err != nil {
		os.Remove(final)
		return Result{}, false
	}
	return Result{Path: final, Checksum: e.Resolved, Size: e.Size, CacheHit: true}, true
}
