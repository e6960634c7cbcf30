package fetch

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	getter "github.com/hashicorp/go-getter/v2"

	"github.com/boxbuild/boxbuild/internal/atomicfile"
)

// client is a go-getter client for plain files over http(s) and file URLs only: no git,
// no S3, no unpacking of archives (an ISO named .tar.gz stays as it is), no .netrc, and
// no whole-download timeout (go-getter's default of 30 s would cut off an ISO).
func client() *getter.Client {
	return &getter.Client{
		Getters: []getter.Getter{
			&getter.HttpGetter{XTerraformGetDisabled: true, HeadFirstTimeout: 30 * time.Second},
			new(getter.FileGetter),
		},
		Decompressors: map[string]getter.Decompressor{},
	}
}

// download fetches src into final.part, resuming what an earlier attempt left there,
// verifies it and moves it to final.
func (f *Fetcher) download(ctx context.Context, src, checksum, dir, final string) (Result, error) {
	c := client()
	// Resolve the checksum once; for "file:" this downloads the SUMS file.
	fc, err := c.GetChecksum(ctx, &getter.Request{Src: withChecksum(src, checksum)})
	if err != nil {
		return Result{}, fmt.Errorf("checksum %s: %w", checksum, err)
	}
	if fc == nil || (fc.Type != "sha256" && fc.Type != "sha512") {
		return Result{}, fmt.Errorf("checksum %s resolved to %v: only sha256 and sha512 are accepted", checksum, fc)
	}
	resolved := fc.String()

	part := final + ".part"
	req := &getter.Request{
		Src: withChecksum(src, resolved), Dst: part, GetMode: getter.ModeFile,
		Copy: true, ProgressListener: f.tracker(src),
	}
	if _, err := c.Get(ctx, req); err != nil {
		var cerr *getter.ChecksumError
		if errors.As(err, &cerr) {
			os.Remove(part)
			return Result{}, fmt.Errorf("checksum mismatch: expected %s:%x, got %s:%x; the download was deleted",
				fc.Type, cerr.Expected, fc.Type, cerr.Actual)
		}
		if fi, serr := os.Stat(part); serr == nil && fi.Size() > 0 {
			return Result{}, fmt.Errorf("%w (kept %d bytes; the next fetch resumes where the server allows)", err, fi.Size())
		}
		return Result{}, err
	}
	fi, err := os.Stat(part)
	if err != nil {
		return Result{}, err
	}
	if err := os.Rename(part, final); err != nil {
		return Result{}, err
	}
	e := entry{URL: src, Checksum: checksum, Resolved: resolved, Size: fi.Size()}
	b, _ := json.MarshalIndent(e, "", "  ")
	if err := atomicfile.Write(filepath.Join(dir, entryName), append(b, '\n'), 0o644); err != nil {
		return Result{}, err
	}
	return Result{Path: final, Checksum: resolved, Size: fi.Size()}, nil
}

// withChecksum adds go-getter's checksum query parameter to src.
func withChecksum(src, checksum string) string {
	sep := "?"
	if strings.Contains(src, "?") {
		sep = "&"
	}
	return src + sep + "checksum=" + url.QueryEscape(checksum)
}

// verify hashes path and compares it with "type:hex".
func verify(path, sum string) error {
	typ, want, _ := strings.Cut(sum, ":")
	var h hash.Hash
	switch typ {
	case "sha256":
		h = sha256.New()
	case "sha512":
		h = sha512.New()
	default:
		return fmt.Errorf("unknown checksum type %q", typ)
	}
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	if _, err := io.Copy(h, fh); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != strings.ToLower(want) {
		return fmt.Errorf("checksum mismatch: expected %s, got %s:%s", sum, typ, got)
	}
	return nil
}

// tracker adapts go-getter's progress interface to OnProgress.
func (f *Fetcher) tracker(src string) getter.ProgressTracker {
	if f.OnProgress == nil {
		return nil
	}
	return progressFunc(func(done, total int64) { f.OnProgress(Progress{URL: src, Done: done, Total: total}) })
}

type progressFunc func(done, total int64)

func (p progressFunc) TrackProgress(_ string, current, total int64, stream io.ReadCloser) io.ReadCloser {
	return &countingReader{ReadCloser: stream, done: current, total: total, report: p}
}

type countingReader struct {
	io.ReadCloser
	done, total int64
	report      progressFunc
}

func (r *countingReader) Read(b []byte) (int, error) {
	n, err := r.ReadCloser.Read(b)
	r.done += int64(n)
	if n > 0 {
		r.report(r.done, r.total)
	}
	return n, err
}
