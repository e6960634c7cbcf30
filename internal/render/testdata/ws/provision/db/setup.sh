#!/bin/sh
# Test fixture: a script that gets a secret through its environment and sources the library.
set -eu
# shellcheck source-path=SCRIPTDIR/.. source=lib/boxbuild.sh
. "$BOXBUILD_LIB"
test -n "${DB_PASSWORD}"
say_ready "database ${DB_NAME}"
