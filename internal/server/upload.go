package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/boxbuild/boxbuild/internal/catalog"
	"github.com/boxbuild/boxbuild/internal/publish"
)

var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// upload handles PUT /<org>/<box>/<version>/<provider>/<arch>.box. The body streams into a
// hidden file beside its final place while it is hashed; the catalog changes only after the
// checksum matches, so a refused or broken upload leaves nothing visible.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, e catalog.Entry) {
	if s.opts.Token == "" {
		http.Error(w, "read-only server: uploads need a token (boxbuild serve --token-env NAME)", http.StatusForbidden)
		return
	}
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="boxbuild"`)
		http.Error(w, "missing or wrong bearer token", http.StatusUnauthorized)
		return
	}
	want := strings.ToLower(strings.TrimSpace(r.Header.Get(publish.HeaderChecksum)))
	_, trailer := r.Trailer[http.CanonicalHeaderKey(publish.HeaderChecksum)]
	if want == "" && !trailer {
		http.Error(w, "the expected sha256 is required in the "+publish.HeaderChecksum+" header or trailer", http.StatusBadRequest)
		return
	}
	if want != "" && !sha256RE.MatchString(want) {
		http.Error(w, publish.HeaderChecksum+" must be 64 hex digits", http.StatusBadRequest)
		return
	}
	if r.ContentLength > s.opts.MaxUpload {
		http.Error(w, "box larger than the server's upload limit", http.StatusRequestEntityTooLarge)
		return
	}
	if want != "" { // refuse a conflict before receiving gigabytes
		if have, err := s.store.Existing(e); err != nil {
			http.Error(w, "catalog record unreadable", http.StatusInternalServerError)
			return
		} else if have != nil {
			s.answerExisting(w, e, have.Sha256, want)
			return
		}
	}
	desc, _ := url.QueryUnescape(r.Header.Get(publish.HeaderDescription))

	p, err := s.store.Create(e)
	if err != nil {
		http.Error(w, "cannot store the upload", http.StatusInternalServerError)
		return
	}
	defer p.Abort()
	h := sha256.New()
	body := http.MaxBytesReader(w, r.Body, s.opts.MaxUpload)
	n, err := io.CopyBuffer(io.MultiWriter(p.File(), h), body, make([]byte, 1<<20))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			http.Error(w, "box larger than the server's upload limit", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "upload interrupted", http.StatusBadRequest)
		return
	}
	got := hex.EncodeToString(h.Sum(nil))
	if want == "" {
		want = strings.ToLower(strings.TrimSpace(r.Trailer.Get(publish.HeaderChecksum)))
	}
	if got != want {
		http.Error(w, "checksum mismatch: received sha256 "+got+", expected "+want, http.StatusUnprocessableEntity)
		return
	}
	res, err := p.Commit(got, n, desc)
	switch {
	case errors.Is(err, catalog.ErrConflict):
		s.answerExisting(w, e, "", got)
		return
	case err != nil:
		http.Error(w, "cannot store the upload", http.StatusInternalServerError)
		return
	}
	status := http.StatusCreated
	if res.Unchanged {
		status = http.StatusOK
	}
	s.answer(w, status, e, got, n)
}

func (s *Server) answerExisting(w http.ResponseWriter, e catalog.Entry, have, want string) {
	if have == want {
		s.answer(w, http.StatusOK, e, have, -1)
		return
	}
	http.Error(w, e.Name()+"@"+e.Version+" "+e.Provider+"/"+e.Arch+" is already published with other content; publish a new version", http.StatusConflict)
}

func (s *Server) answer(w http.ResponseWriter, status int, e catalog.Entry, sum string, size int64) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set(publish.HeaderChecksum, sum)
	w.WriteHeader(status)
	out := map[string]any{"name": e.Name(), "version": e.Version, "provider": e.Provider, "architecture": e.Arch, "url": s.opts.BaseURL + "/" + e.RelPath(), "sha256": sum}
	if size >= 0 {
		out["size"] = size
	}
	json.NewEncoder(w).Encode(out)
}

// authorized compares the bearer token in constant time; hashing both sides first keeps the
// comparison's length independent of the secret's length too.
func (s *Server) authorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(s.opts.Token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
