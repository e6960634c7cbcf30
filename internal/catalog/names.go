package catalog

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/go-version"
)

// ErrInvalid marks a name, version or constraint the catalog cannot hold.
var ErrInvalid = errors.New("invalid")

var (
	// Path elements: no slashes, no leading dot (hidden files and "..").
	segmentRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$`)
	// Accepted by both RubyGems' Gem::Version (Vagrant) and go-version; rejects "v1.0" and
	// "1.0+build", which abort Vagrant's whole box add.
	versionRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*(-[0-9A-Za-z]+(\.[0-9A-Za-z]+)*)?$`)
)

// reservedOrgs would shadow other routes of the catalog folder or the server.
var reservedOrgs = map[string]bool{"api": true, "semesters": true, "healthz": true, "static": true, "vagrantfiles": true}

// Entry names one box file in the catalog.
type Entry struct {
	Org, Box, Version, Provider, Arch string
}

// Name is the Vagrant box name, "org/box".
func (e Entry) Name() string { return e.Org + "/" + e.Box }

// RelPath is the slash-separated path of the .box below the catalog folder.
func (e Entry) RelPath() string {
	return strings.Join([]string{e.Org, e.Box, e.Version, e.Provider, e.Arch + ".box"}, "/")
}

// Validate checks every part of e.
func (e Entry) Validate() error {
	if err := ValidateName(e.Org, e.Box); err != nil {
		return err
	}
	if err := ValidateVersion(e.Version); err != nil {
		return err
	}
	for _, p := range []struct{ what, v string }{{"provider", e.Provider}, {"architecture", e.Arch}} {
		if !segmentRE.MatchString(p.v) {
			return fmt.Errorf("%w %s %q: use letters, digits, '.', '_' or '-'", ErrInvalid, p.what, p.v)
		}
	}
	return nil
}

// ValidateName checks an org and box name.
func ValidateName(org, box string) error {
	if !segmentRE.MatchString(org) || reservedOrgs[org] {
		return fmt.Errorf("%w organisation %q: use letters, digits, '.', '_' or '-' (not api, semesters, healthz, static, vagrantfiles)", ErrInvalid, org)
	}
	if !segmentRE.MatchString(box) || strings.HasSuffix(box, ".json") {
		return fmt.Errorf("%w box name %q: use letters, digits, '.', '_' or '-' (not ending in .json)", ErrInvalid, box)
	}
	return nil
}

// ValidateVersion checks that v is a version both Vagrant and boxbuild parse the same way.
func ValidateVersion(v string) error {
	if !versionRE.MatchString(v) {
		return fmt.Errorf("%w version %q: want digits separated by dots, optionally -prerelease (e.g. 2.1.0, 1.0.0-beta)", ErrInvalid, v)
	}
	return nil
}

// SplitName splits "org/box" (or "box", using defaultOrg) into its parts.
func SplitName(name, defaultOrg string) (org, box string, err error) {
	org, box, ok := strings.Cut(name, "/")
	if !ok {
		org, box = defaultOrg, name
	}
	if err := ValidateName(org, box); err != nil {
		return "", "", err
	}
	return org, box, nil
}

// ParseRef splits "org/box@version" or "box@version".
func ParseRef(ref, defaultOrg string) (org, box, ver string, err error) {
	name, ver, ok := strings.Cut(ref, "@")
	if !ok {
		return "", "", "", fmt.Errorf("%w reference %q: want BOX@VERSION or ORG/BOX@VERSION", ErrInvalid, ref)
	}
	if org, box, err = SplitName(name, defaultOrg); err != nil {
		return "", "", "", err
	}
	if err := ValidateVersion(ver); err != nil {
		return "", "", "", err
	}
	return org, box, ver, nil
}

func mustVersion(v string) *version.Version {
	pv, err := version.NewVersion(v)
	if err != nil {
		// Unreachable for versions that passed ValidateVersion; a hand-edited record is
		// refused when it is loaded.
		panic(fmt.Sprintf("catalog: unparsable version %q: %v", v, err))
	}
	return pv
}
