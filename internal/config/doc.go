// Package config loads a boxbuild workspace — boxbuild.hcl, boxes/*.hcl and semesters/*.hcl —
// into a typed model. Every problem becomes an hcl.Diagnostic with a source range; the loader
// collects them all and returns them together, so `boxbuild validate` reports every mistake in
// one run, before any build starts.
package config
