#!/bin/sh
# Writes the box's landing page, index.html, naming the box and its version, and check.php, a
# small PHP page (no phpinfo: it would show every setting and environment variable) that
# reports the PHP version and which database extensions are loaded. Run it after the web
# server script; it serves whatever web server is installed.
# Environment:
#   BOX_NAME     the box's name, shown on the page (required)
#   BOX_VERSION  the box's version, shown on the page (default: unknown)
#   WEB_ROOT     the document root (default: /var/www/html)
set -eu

BOX_NAME=${BOX_NAME:-}
BOX_VERSION=${BOX_VERSION:-unknown}
WEB_ROOT=${WEB_ROOT:-/var/www/html}

if [ -z "$BOX_NAME" ]; then
	echo "landing-page.sh: BOX_NAME is not set" >&2
	exit 1
fi
case $WEB_ROOT in
/*) ;;
*)
	echo "landing-page.sh: WEB_ROOT must be an absolute path, got '$WEB_ROOT'" >&2
	exit 1
	;;
esac

# html_escape keeps a box name such as "a<b" from turning into markup.
html_escape() {
	printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g' -e "s/'/\&#39;/g"
}
name=$(html_escape "$BOX_NAME")
version=$(html_escape "$BOX_VERSION")

# put FILE: installs stdin as FILE (mode 0644) only when the content differs.
put() {
	new=$(mktemp)
	cat >"$new"
	if ! { [ -f "$1" ] && cmp -s "$new" "$1"; }; then
		install -m 0644 "$new" "$1"
	fi
	rm -f "$new"
}

install -d -m 0755 "$WEB_ROOT"
put "$WEB_ROOT/index.html" <<HTML
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$name $version</title>
</head>
<body>
<h1>$name</h1>
<p>Box <strong>$name</strong>, version <strong>$version</strong>, built by boxbuild.</p>
<p>Put your own pages into $WEB_ROOT. <a href="check.php">PHP check</a></p>
</body>
</html>
HTML

put "$WEB_ROOT/check.php" <<'PHP'
<?php
// Written by boxbuild's provision/web/landing-page.sh: proves PHP runs and shows which database
// extensions are loaded, without phpinfo()'s full dump of settings.
header('Content-Type: text/plain; charset=utf-8');
echo "PHP OK\n";
echo 'PHP version: ', PHP_VERSION, "\n";
foreach (['mysqli', 'pdo_mysql', 'pdo_pgsql', 'pgsql', 'mbstring'] as $ext) {
    echo $ext, ': ', extension_loaded($ext) ? 'loaded' : 'missing', "\n";
}
PHP

# Debian's apache2 and nginx packages put their own default pages beside it.
rm -f "$WEB_ROOT/index.nginx-debian.html"
