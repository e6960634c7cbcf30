#!/bin/sh
# Proves nginx hands PHP to PHP-FPM: GET of check.php (from web/landing-page.sh) must return 200
# with the output of the PHP code, not its source, with the database extensions loaded, and
# nginx must not announce its version.
# Environment:
#   URL  the PHP check page (default: http://127.0.0.1/check.php)
set -eu

URL=${URL:-http://127.0.0.1/check.php}

body=$(mktemp)
headers=$(mktemp)
trap 'rm -f "$body" "$headers"' EXIT
code=$(curl -sS --max-time 10 -D "$headers" -o "$body" -w '%{http_code}' "$URL")
fail() {
	echo "nginx-php.sh: GET $URL: $*" >&2
	exit 1
}
[ "$code" = 200 ] || fail "answered $code, want 200"
if grep -qF '<?php' "$body"; then
	fail "served the PHP source instead of running it"
fi
grep -qx 'PHP OK' "$body" || fail "no 'PHP OK' line: PHP did not run"
for ext in mysqli pdo_mysql pdo_pgsql mbstring; do
	grep -qx "$ext: loaded" "$body" || fail "the PHP extension $ext is not loaded"
done
if ! grep -qi '^server: nginx' "$headers"; then
	fail "the answer did not come from nginx"
fi
if grep -qi '^server: nginx/' "$headers"; then
	fail "nginx announces its version (server_tokens should be off)"
fi
echo "nginx-php.sh: GET $URL: PHP runs through PHP-FPM, database extensions loaded"
