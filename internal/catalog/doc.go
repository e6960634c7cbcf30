// Package catalog is boxbuild's Vagrant box catalog: a folder any static web server could
// serve, kept valid at every instant.
//
// Layout below the catalog folder:
//
//	<org>/<box>.json                               Vagrant metadata (served at /<org>/<box> too)
//	<org>/<box>/<version>/<provider>/<arch>.box    box files, immutable once written
//	.boxbuild-catalog/<org>/<box>.json             the record: every version, revoked ones too
//	.boxbuild-catalog/lock                         flock held while the records change
//
// The record is the truth; the metadata file is derived from it on every change (with the
// store's base URL), and `boxbuild serve` renders it again per base URL. Vagrant ignores a
// version's "status", so a revoked version is kept in the record but left out of the metadata.
//
// Why it survives crashes and concurrent publishers: a box file is written under a hidden
// temporary name in its final folder, synced, and renamed into place before any record names
// it; records and metadata are replaced by write-temp + fsync + rename + fsync(dir), under one
// catalog-wide lock. A publisher killed at any point leaves the old record (and perhaps a
// hidden temp file that prune removes), never a record naming an incomplete file.
package catalog
