package publish

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

// Upload API headers shared with internal/server.
const (
	HeaderChecksum    = "X-Checksum-Sha256"
	HeaderDescription = "X-Box-Description" // URL-query-escaped, to stay within header bytes
)

// Server uploads to a `boxbuild serve` with a token:
// PUT <URL>/<org>/<box>/<version>/<provider>/<arch>.box.
type Server struct {
	URL    string
	Token  string
	Client *http.Client // nil: http.DefaultClient
}

// Publish streams the file once. A known checksum goes in a header, so the server can refuse a
// conflict before storing anything; otherwise it is computed while sending and goes in a trailer.
func (s *Server) Publish(ctx context.Context, b Box) (Result, error) {
	res := Result{Entry: b.Entry, Method: "upload"}
	f, err := os.Open(b.File)
	if err != nil {
		return res, fmt.Errorf("publish: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return res, fmt.Errorf("publish: %w", err)
	}
	u := strings.TrimRight(s.URL, "/") + "/" + b.Entry.RelPath()
	hr := &hashingReader{r: f}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u, io.NopCloser(hr))
	if err != nil {
		return res, err
	}
	req.Header.Set("Authorization", "Bearer "+s.Token)
	req.Header.Set("Content-Type", "application/octet-stream")
	if b.Description != "" {
		req.Header.Set(HeaderDescription, url.QueryEscape(b.Description))
	}
	if b.Sha256 != "" {
		req.Header.Set(HeaderChecksum, b.Sha256)
		req.ContentLength = st.Size()
	} else {
		// Chunked body: the trailer is sent after the last byte, when the sum is known.
		req.Trailer = http.Header{HeaderChecksum: nil}
		hr.onEOF = func(sum string) { req.Trailer.Set(HeaderChecksum, sum) }
	}
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return res, fmt.Errorf("upload %s: %w", b.Entry.RelPath(), err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	res.Sha256, res.Size = resp.Header.Get(HeaderChecksum), st.Size()
	switch resp.StatusCode {
	case http.StatusCreated:
		return res, nil
	case http.StatusOK:
		res.Unchanged = true
		return res, nil
	case http.StatusConflict:
		return res, fmt.Errorf("upload %s: %s: %w", b.Entry.RelPath(), strings.TrimSpace(string(msg)), catalog.ErrConflict)
	default:
		return res, fmt.Errorf("upload %s: server answered %s: %s", b.Entry.RelPath(), resp.Status, strings.TrimSpace(string(msg)))
	}
}

// hashingReader hashes what it reads and reports the sum at EOF.
type hashingReader struct {
	r     io.Reader
	h     hasher
	onEOF func(string)
}

func (h *hashingReader) Read(p []byte) (int, error) {
	if h.h == nil {
		h.h = newHasher()
	}
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	if errors.Is(err, io.EOF) && h.onEOF != nil {
		h.onEOF(h.h.SumHex())
		h.onEOF = nil
	}
	return n, err
}
