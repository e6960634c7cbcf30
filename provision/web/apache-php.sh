#!/bin/sh
# Installs Apache with mod_php and the PHP extensions database courses need (mysqli/PDO MySQL,
# PDO PostgreSQL, mbstring, intl, xml, curl, zip), enables mod_rewrite, and hides version
# details (ServerTokens Prod, ServerSignature Off) in conf-available/boxbuild.conf. The site is
# Debian's default one, serving /var/www/html on port 80.
# curl comes along for debugging and for tests/http-200.sh.
# Environment:
#   PHP_EXTRA_PACKAGES  more Debian packages to install, space separated, e.g. "php-gd php-redis"
#                       (default: none)
set -eu

PHP_EXTRA_PACKAGES=${PHP_EXTRA_PACKAGES:-}

# apt_install comes from boxbuild's shell library.
# shellcheck source-path=SCRIPTDIR/.. source=lib/boxbuild.sh
. "$BOXBUILD_LIB"

# shellcheck disable=SC2086 # the extra package list is meant to split into words
apt_install apache2 libapache2-mod-php curl php-cli php-mysql php-pgsql php-mbstring php-intl \
	php-xml php-curl php-zip $PHP_EXTRA_PACKAGES

changed=0
conf=/etc/apache2/conf-available/boxbuild.conf
new=$(mktemp)
trap 'rm -f "$new"' EXIT
cat >"$new" <<'CONF'
# Written by boxbuild's provision/web/apache-php.sh.
ServerName localhost
ServerTokens Prod
ServerSignature Off
CONF
if ! { [ -f "$conf" ] && cmp -s "$new" "$conf"; }; then
	install -m 0644 "$new" "$conf"
	changed=1
fi
# a2enconf/a2enmod only create symlinks, so they are called only when one is missing.
if [ ! -e /etc/apache2/conf-enabled/boxbuild.conf ]; then
	a2enconf -q boxbuild
	changed=1
fi
if [ ! -e /etc/apache2/mods-enabled/rewrite.load ]; then
	a2enmod -q rewrite
	changed=1
fi
apache2ctl configtest

if [ -d /run/systemd/system ]; then
	systemctl enable --quiet apache2
	if [ "$changed" = 1 ]; then
		systemctl restart apache2
	else
		systemctl start apache2
	fi
fi
