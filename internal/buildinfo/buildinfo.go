// Package buildinfo holds boxbuild's own version: it is printed by `boxbuild version`,
// checked against a workspace's required_version, and salts every cache key.
package buildinfo

// Version is boxbuild's release; set with -ldflags "-X …/buildinfo.Version=…" when releasing.
var Version = "0.1.0"
