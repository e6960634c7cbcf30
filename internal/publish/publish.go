// Package publish puts built .box files into catalogs: a local catalog folder, a remote
// `boxbuild serve` through its upload API, or Vagrant Cloud / HCP Vagrant (API v2).
package publish

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/boxbuild/boxbuild/internal/catalog"
)

// Box is one .box file to publish.
type Box struct {
	Entry       catalog.Entry
	File        string
	Sha256      string // known checksum (from the build record), or "" to compute it
	Size        int64  // known size, or 0 to take the file's
	Description string
}

// Result says what a publisher did with one box.
type Result struct {
	Entry     catalog.Entry
	Sha256    string
	Size      int64
	Unchanged bool   // the same content was already there
	Method    string // "link", "copy", "upload" or "vagrantcloud"
}

// Publisher puts one box into one catalog.
type Publisher interface {
	Publish(ctx context.Context, b Box) (Result, error)
}

var (
	_ Publisher = (*Local)(nil)
	_ Publisher = (*Server)(nil)
	_ Publisher = (*VagrantCloud)(nil)
)

// ReadToken returns a token from the environment variable env or, if env is empty or unset,
// from file. Tokens never come from flags or config literals, so they stay out of shell
// history, process lists and logs.
func ReadToken(env, file string) (string, error) {
	if env != "" {
		if v := strings.TrimSpace(os.Getenv(env)); v != "" {
			return v, nil
		}
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("read token file: %w", err)
		}
		if v := strings.TrimSpace(string(b)); v != "" {
			return v, nil
		}
		return "", fmt.Errorf("token file %s is empty", file)
	}
	if env != "" {
		return "", fmt.Errorf("no token: environment variable %s is empty or unset", env)
	}
	return "", fmt.Errorf("no token configured")
}
