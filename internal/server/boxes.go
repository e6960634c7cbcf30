package server

import (
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

// serveBox sends a published, non-revoked box file with Range support, an ETag from its
// checksum and immutable caching (a version's content never changes).
func (s *Server) serveBox(w http.ResponseWriter, r *http.Request, e catalog.Entry) {
	if !allow(w, r, http.MethodGet, http.MethodHead, http.MethodPut) {
		return
	}
	c, err := s.lookup(e.Org, e.Box)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	rv := c.record.Find(e.Version)
	var bf *catalog.BoxFile
	if rv != nil && !rv.Revoked {
		for _, b := range rv.Boxes {
			if b.Provider == e.Provider && b.Arch == e.Arch {
				bf = b
			}
		}
	}
	if bf == nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	f, err := s.root.Open(filepath.FromSlash(bf.Path))
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("ETag", `"`+bf.Sha256+`"`)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	if rangeFromEnd(r.Header.Get("Range"), info.Size()) {
		// Vagrant 2.3.4 resumes a complete temp file with "bytes=<size>-" and fails forever on
		// 416; the whole file with 200 makes curl start over and succeed.
		r.Header.Del("Range")
	}
	http.ServeContent(w, r, "", info.ModTime(), f)
}

// rangeFromEnd reports a single "bytes=N-" range with N at or past the end of the file.
func rangeFromEnd(h string, size int64) bool {
	spec, ok := strings.CutPrefix(h, "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return false
	}
	start, end, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok || end != "" {
		return false
	}
	n, err := strconv.ParseInt(start, 10, 64)
	return err == nil && n >= size
}
