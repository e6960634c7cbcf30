package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"time"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

// cached is one box's rendered metadata, valid while its record file is unchanged.
type cached struct {
	info   os.FileInfo
	record *catalog.Record
	body   []byte
	etag   string
}

// lookup returns the record and rendered metadata of org/box, re-rendering only when the
// record file was replaced (records change by rename, so a new file means new content).
func (s *Server) lookup(org, box string) (*cached, error) {
	if err := catalog.ValidateName(org, box); err != nil {
		return nil, catalog.ErrNotFound
	}
	path := s.store.RecordPath(org, box)
	info, err := os.Stat(path)
	if err != nil {
		return nil, catalog.ErrNotFound
	}
	key := org + "/" + box
	s.mu.Lock()
	c := s.cache[key]
	s.mu.Unlock()
	if c != nil && os.SameFile(c.info, info) && c.info.ModTime().Equal(info.ModTime()) && c.info.Size() == info.Size() {
		return c, nil
	}
	r, err := catalog.LoadRecord(path)
	if err != nil {
		return nil, err
	}
	body, err := json.MarshalIndent(r.Metadata(s.opts.BaseURL), "", "  ")
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	c = &cached{info: info, record: r, body: append(body, '\n'), etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
	s.mu.Lock()
	s.cache[key] = c
	s.mu.Unlock()
	return c, nil
}

// serveMetadata answers HEAD and GET with application/json (Vagrant decides "catalog or box"
// from the HEAD's Content-Type), uncompressed, and never cached without revalidation so new
// versions show up at once.
func (s *Server) serveMetadata(w http.ResponseWriter, r *http.Request, org, box string) {
	if r.Method == http.MethodPut {
		http.Error(w, "upload to /<org>/<box>/<version>/<provider>/<arch>.box", http.StatusMethodNotAllowed)
		return
	}
	if !allow(w, r, http.MethodGet, http.MethodHead) {
		return
	}
	c, err := s.lookup(org, box)
	if errors.Is(err, catalog.ErrNotFound) {
		http.Error(w, "no such box", http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, "catalog record unreadable", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", c.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(c.body))
}
