// Package plan decides what a build run does: which box × provider × arch builds are
// selected (and the parents they need), in which order, with which version, and — through
// each build's action ID — whether a build is needed at all or its artifact is already cached.
//
// An action ID is a SHA-256 over every input of a build, each written as one line of text
// (see actionLines). Two runs with the same lines produce the same artifact, so the second
// is a cache hit; a changed line names the reason for a rebuild. BOXBUILD_DEBUG_HASH=1
// prints every hashed line.
package plan
