package config

import (
	"encoding/hex"
	"net/url"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

var sourceKinds = []string{"bootstrap", "image", "iso"}

// Hex lengths of the checksum types go-getter verifies.
var checksumHexLen = map[string]int{"md5": 32, "sha1": 40, "sha256": 64, "sha512": 128}

func (l *loader) decodeSource(b *hcl.Block) (*Source, hcl.Diagnostics) {
	kind := b.Labels[0]
	schema, ok := sourceSchemas[kind]
	if !ok {
		return nil, hcl.Diagnostics{oneOf("source kind", kind, sourceKinds, b.LabelRanges[0])}
	}
	content, diags := b.Body.Content(schema)
	src := &Source{Kind: kind, Range: b.DefRange}
	a := l.attrs(content.Attributes)
	if a.str("url", &src.URL) {
		if u, err := url.Parse(src.URL); err != nil || u.Scheme == "" {
			a.diags = append(a.diags, errorf(a.rng("url").Ptr(), "Invalid url",
				"%q is not an absolute URL; write https://… (or file:///… for a local file).", src.URL))
		}
	}
	if a.str("checksum", &src.Checksum) {
		if d := checkChecksum(src.Checksum, a.rng("checksum")); d != nil {
			a.diags = append(a.diags, d)
		}
	}
	if a.str("os", &src.OS) {
		if d := oneOf("operating system", src.OS, knownOSes, a.rng("os")); d != nil {
			a.diags = append(a.diags, d)
		}
	}
	if kind == "image" {
		src.Format = "qcow2"
		if a.str("format", &src.Format) {
			if d := oneOf("image format", src.Format, knownFormats, a.rng("format")); d != nil {
				a.diags = append(a.diags, d)
			}
		}
	}
	if kind == "bootstrap" {
		src.Suite, src.Mirror = "bookworm", "http://deb.debian.org/debian"
		a.str("suite", &src.Suite)
		a.str("mirror", &src.Mirror)
		a.strings("packages", &src.Packages)
	}
	return src, append(diags, a.diags...)
}

// checkChecksum accepts go-getter's forms: "<type>:<hex>" or "file:<url of a SUMS file>".
// "none" and empty values are refused: a download is never trusted unverified.
func checkChecksum(c string, rng hcl.Range) *hcl.Diagnostic {
	typ, val, ok := strings.Cut(c, ":")
	if typ == "file" && ok {
		if u, err := url.Parse(val); err == nil && u.Scheme != "" {
			return nil
		}
		return errorf(rng.Ptr(), "Invalid checksum", "%q must name the absolute URL of a checksum file, e.g. \"file:https://…/SHA256SUMS\".", c)
	}
	want, known := checksumHexLen[typ]
	if !ok || !known {
		return errorf(rng.Ptr(), "Invalid checksum",
			"%q is not a checksum boxbuild can verify; write \"sha256:<hex>\" (or sha512, sha1, md5) or \"file:<url of SHA256SUMS>\". Downloads are never used unverified.", c)
	}
	if _, err := hex.DecodeString(val); err != nil || len(val) != want {
		return errorf(rng.Ptr(), "Invalid checksum", "A %s checksum is %d hexadecimal digits; %q is not.", typ, want, val)
	}
	return nil
}
