// Package provisiontest holds the tests of the workspace's shell scripts: provision/ (what a
// build runs inside a box) and tests/ (what proves a built box works). shellcheck and a header
// check read every script; the idempotence test runs each provisioning script twice in a real
// Debian 12 chroot and fails when the second run changes anything.
//
// The package has no code of its own beyond finding the scripts: the scripts are the product,
// these tests are their proof.
package provisiontest
