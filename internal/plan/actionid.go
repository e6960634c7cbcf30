package plan

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/boxbuild/boxbuild/internal/atomicfile"
	"github.com/boxbuild/boxbuild/internal/buildinfo"
	"github.com/boxbuild/boxbuild/internal/config"
)

// actionLines lists every input of one build as a line of text. EVERY NEW INPUT OF A BUILD
// MUST BE ADDED HERE: an input missing from this list is an input whose change does not
// trigger a rebuild. Lines start with a kind word, so Reasons can name what changed.
func actionLines(b *Build, packerVersion string, parentID string, secretKey []byte) []string {
	lines := []string{
		"salt boxbuild " + buildinfo.Version, // a new boxbuild may build differently
		"packer " + packerVersion,
		fmt.Sprintf("target %s %s %s", b.Box.Name, b.Provider, b.Arch),
		"series " + b.Box.Version,
		fmt.Sprintf("resources cpus=%d memory=%d disk_gb=%d", b.Box.CPUs, b.Box.Memory, b.Box.DiskGB),
	}
	// The rendered folder: the template (which holds every non-sensitive setting and script
	// environment), each script and each http file, by content.
	for _, in := range b.Render.Inputs {
		lines = append(lines, fmt.Sprintf("file %s %s", in.Path, in.SHA256))
	}
	// Sensitive values never reach a rendered file, so they are hashed here instead, keyed
	// with the state folder's secret key: a plain digest of a weak password could be reversed
	// by guessing, a keyed one cannot, so the line is safe to store and print.
	for _, kv := range sensitiveEnv(b.Box) {
		mac := hmac.New(sha256.New, secretKey)
		mac.Write([]byte(kv[1]))
		lines = append(lines, fmt.Sprintf("secret %s hmac:%s", kv[0], hex.EncodeToString(mac.Sum(nil))[:16]))
	}
	if src := b.Box.Source; src != nil {
		switch src.Kind {
		case "bootstrap":
			lines = append(lines, fmt.Sprintf("source bootstrap suite=%s mirror=%s packages=%v", src.Suite, src.Mirror, src.Packages))
		default:
			lines = append(lines, fmt.Sprintf("source %s %s %s", src.Kind, src.URL, src.Checksum))
		}
	}
	if parentID != "" {
		lines = append(lines, fmt.Sprintf("parent %s %s", b.Box.From, parentID))
	}
	return lines
}

// sensitiveEnv returns the name and value of every sensitive script variable, sorted.
func sensitiveEnv(box *config.Box) [][2]string {
	var out [][2]string
	for _, s := range append(append([]*config.Script{}, box.Provisions...), box.Tests...) {
		for _, e := range s.Env {
			if e.Sensitive {
				out = append(out, [2]string{s.Path + ":" + e.Name, e.Value})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// hashLines is the action ID of lines; with BOXBUILD_DEBUG_HASH=1 each line goes to debug.
func hashLines(lines []string, debug io.Writer) string {
	h := sha256.New()
	for _, l := range lines {
		fmt.Fprintln(h, l)
	}
	id := hex.EncodeToString(h.Sum(nil))
	if debug != nil && os.Getenv("BOXBUILD_DEBUG_HASH") == "1" {
		for _, l := range lines {
			fmt.Fprintf(debug, "HASH[%s] %s\n", id[:12], l)
		}
	}
	return id
}

// secretKey returns the state folder's random key for hashing secrets, creating it (0600)
// on first use.
func secretKey(stateDir string) ([]byte, error) {
	p := filepath.Join(stateDir, "secret-key")
	if k, err := os.ReadFile(p); err == nil && len(k) == 32 {
		return k, nil
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	return k, atomicfile.Write(p, k, 0o600)
}
