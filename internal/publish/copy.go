package publish

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"os"
	"sync/atomic"
)

const (
	copyBuf  = 1 << 20 // large reads keep syscalls rare on multi-GiB boxes
	copyBufs = 4
)

// copyHashed copies src to dst and returns the sha256 and length, reading src once. Hashing
// and writing run in parallel on alternating buffers, so the copy costs about as long as
// hashing alone (sha256sum) instead of hash time plus write time.
func copyHashed(dst *os.File, src io.Reader) (string, int64, error) {
	free := make(chan []byte, copyBufs)
	for range copyBufs {
		free <- make([]byte, copyBuf)
	}
	full := make(chan []byte, copyBufs)
	done := make(chan error, 1)
	var failed atomic.Bool
	go func() {
		var err error
		var off int64
		for b := range full {
			if err == nil {
				var n int
				n, err = dst.Write(b)
				startWriteback(dst, off, int64(n))
				off += int64(n)
				if err != nil {
					failed.Store(true)
				}
			}
			free <- b[:cap(b)]
		}
		done <- err
	}()

	h := sha256.New()
	var n int64
	var rerr error
	for !failed.Load() {
		b := <-free
		k, err := io.ReadFull(src, b)
		if k > 0 {
			h.Write(b[:k])
			n += int64(k)
			full <- b[:k]
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			rerr = err
			break
		}
	}
	close(full)
	if werr := <-done; werr != nil {
		return "", n, werr
	}
	if rerr != nil {
		return "", n, rerr
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// hashFile reads f once and returns its sha256 and length.
func hashFile(f *os.File) (string, int64, error) {
	h := sha256.New()
	n, err := io.CopyBuffer(h, onlyReader{f}, make([]byte, copyBuf))
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// onlyReader hides WriterTo so CopyBuffer uses the large buffer.
type onlyReader struct{ io.Reader }

type hasher interface {
	io.Writer
	SumHex() string
}

type sha256Hasher struct{ h hash.Hash }

func newHasher() hasher { return &sha256Hasher{sha256.New()} }

func (s *sha256Hasher) Write(p []byte) (int, error) { return s.h.Write(p) }
func (s *sha256Hasher) SumHex() string              { return hex.EncodeToString(s.h.Sum(nil)) }
