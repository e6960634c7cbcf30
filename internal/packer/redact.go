package packer

import (
	"bytes"
	"io"
	"strings"
	"sync"
)

// Redactor replaces every secret with "[REDACTED]" before text reaches a log, an event or
// an error. Secrets shorter than minSecret are ignored: redacting "a" or "1" would shred
// the log and hide nothing.
type Redactor struct{ r *strings.Replacer }

const (
	minSecret = 3
	redacted  = "[REDACTED]"
)

// NewRedactor returns a Redactor for the given secret values.
func NewRedactor(secrets []string) *Redactor {
	var pairs []string
	for _, s := range secrets {
		if len(s) >= minSecret {
			pairs = append(pairs, s, redacted)
			// Packer's machine-readable lines escape commas and newlines; a secret
			// containing either appears escaped in the raw stream.
			if esc := escaper.Replace(s); esc != s {
				pairs = append(pairs, esc, redacted)
			}
		}
	}
	return &Redactor{r: strings.NewReplacer(pairs...)}
}

var escaper = strings.NewReplacer(",", `%!(PACKER_COMMA)`, "\n", `\n`, "\r", `\r`)

// String returns s with the secrets replaced.
func (r *Redactor) String(s string) string { return r.r.Replace(s) }

// Writer returns a writer that redacts whole lines before passing them to w. It holds back
// an unfinished line, so a secret split across two writes is still caught; Close flushes
// the rest. Safe for concurrent use.
func (r *Redactor) Writer(w io.Writer) io.WriteCloser { return &redactWriter{r: r, w: w} }

type redactWriter struct {
	mu  sync.Mutex
	r   *Redactor
	w   io.Writer
	buf []byte
}

func (rw *redactWriter) Write(p []byte) (int, error) {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	rw.buf = append(rw.buf, p...)
	i := bytes.LastIndexByte(rw.buf, '\n')
	if i < 0 {
		return len(p), nil
	}
	if _, err := io.WriteString(rw.w, rw.r.String(string(rw.buf[:i+1]))); err != nil {
		return 0, err
	}
	rw.buf = append(rw.buf[:0], rw.buf[i+1:]...)
	return len(p), nil
}

// Close writes out a last line that had no newline.
func (rw *redactWriter) Close() error {
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if len(rw.buf) == 0 {
		return nil
	}
	_, err := io.WriteString(rw.w, rw.r.String(string(rw.buf)))
	rw.buf = nil
	return err
}
