#!/bin/sh
# Proves the web server answers: GET of the landing page must return 200 and name the box.
# Needs curl (the web scripts install it).
# Environment:
#   BOX_NAME  the box name the page must show (required)
#   URL       the page to fetch (default: http://127.0.0.1/)
set -eu

BOX_NAME=${BOX_NAME:-}
URL=${URL:-http://127.0.0.1/}

if [ -z "$BOX_NAME" ]; then
	echo "http-200.sh: BOX_NAME is not set" >&2
	exit 1
fi

body=$(mktemp)
trap 'rm -f "$body"' EXIT
code=$(curl -sS --max-time 10 -o "$body" -w '%{http_code}' "$URL")
if [ "$code" != 200 ]; then
	echo "http-200.sh: GET $URL answered $code, want 200" >&2
	exit 1
fi
# The page shows the name HTML-escaped, as web/landing-page.sh writes it.
want=$(printf '%s' "$BOX_NAME" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' -e "s/'/\&#39;/g")
if ! grep -qF "$want" "$body"; then
	echo "http-200.sh: GET $URL: the page does not name the box '$BOX_NAME'" >&2
	exit 1
fi
echo "http-200.sh: GET $URL: 200, names $BOX_NAME"
