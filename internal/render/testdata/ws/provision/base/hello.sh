#!/bin/sh
# Test fixture: prints what render passes to every script.
set -eu
echo "hello from ${BOX_NAME} ${BOX_VERSION} on ${PROVIDER}: ${GREETING}"
