#!/bin/sh
# Test fixture: a script that gets a secret through its environment.
set -eu
test -n "${DB_PASSWORD}"
echo "database ${DB_NAME} ready"
