#!/bin/sh
# Test fixture: a shell library, uploaded only with builds whose scripts name BOXBUILD_LIB.
# Environment: none.
set -eu
say_ready() { echo "$* ready"; }
