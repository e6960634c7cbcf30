// Package boxbuild embeds the school's workspace — this repository's own box definitions,
// scripts, templates and semesters — so `boxbuild init` writes a working copy of exactly what
// is tested here. There is one source of truth: these files, not a second copy in the binary's
// source.
package boxbuild

import "embed"

// Workspace holds the default workspace files, rooted at the repository's top folder.
//
//go:embed .shellcheckrc boxbuild.hcl Vagrantfile.tmpl boxes semesters provision tests packer
var Workspace embed.FS
