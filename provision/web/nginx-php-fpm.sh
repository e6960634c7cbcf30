#!/bin/sh
# Installs nginx and PHP-FPM with the PHP extensions database courses need (mysqli/PDO MySQL,
# PDO PostgreSQL, mbstring, intl, xml, curl, zip) and replaces nginx's default site with
# sites-available/boxbuild: /var/www/html on port 80, *.php through PHP-FPM's socket, hidden
# dot files, no version in headers, and snippets/boxbuild-*.conf included for
# other scripts' locations.
# Environment:
#   WEB_ROOT            the document root (default: /var/www/html)
#   PHP_EXTRA_PACKAGES  more Debian packages to install, space separated (default: none)
set -eu

WEB_ROOT=${WEB_ROOT:-/var/www/html}
PHP_EXTRA_PACKAGES=${PHP_EXTRA_PACKAGES:-}

# apt_install comes from boxbuild's shell library.
# shellcheck source-path=SCRIPTDIR/.. source=lib/boxbuild.sh
. "$BOXBUILD_LIB"

case $WEB_ROOT in
/*) ;;
*)
	echo "nginx-php-fpm.sh: WEB_ROOT must be an absolute path, got '$WEB_ROOT'" >&2
	exit 1
	;;
esac

# shellcheck disable=SC2086 # the extra package list is meant to split into words
apt_install nginx php-fpm curl php-cli php-mysql php-pgsql php-mbstring php-intl php-xml php-curl \
	php-zip $PHP_EXTRA_PACKAGES

# The FPM service and socket carry the PHP version (php8.2-fpm on Debian 12, php8.3-fpm on
# Ubuntu 24.04); the version-free /run/php/php-fpm.sock alternative is not there before the
# service first started, so the versioned names are used.
php_version=$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')
fpm=php$php_version-fpm

changed=0
install -d -m 0755 "$WEB_ROOT"
site=/etc/nginx/sites-available/boxbuild
new=$(mktemp)
trap 'rm -f "$new"' EXIT
cat >"$new" <<CONF
# Written by boxbuild's provision/web/nginx-php-fpm.sh.
server {
	listen 80 default_server;
	listen [::]:80 default_server;
	server_name _;
	root $WEB_ROOT;
	index index.php index.html;
	server_tokens off;
	# Other scripts add locations here, e.g. web/adminer.sh.
	include snippets/boxbuild-*.conf;

	location / {
		try_files \$uri \$uri/ =404;
	}

	location ~ \\.php\$ {
		include snippets/fastcgi-php.conf;
		fastcgi_pass unix:/run/php/$fpm.sock;
	}

	location ~ /\\. {
		deny all;
	}
}
CONF
if ! { [ -f "$site" ] && cmp -s "$new" "$site"; }; then
	install -m 0644 "$new" "$site"
	changed=1
fi
if [ "$(readlink /etc/nginx/sites-enabled/boxbuild || true)" != "$site" ]; then
	ln -sfn "$site" /etc/nginx/sites-enabled/boxbuild
	changed=1
fi
if [ -e /etc/nginx/sites-enabled/default ] || [ -L /etc/nginx/sites-enabled/default ]; then
	rm -f /etc/nginx/sites-enabled/default
	changed=1
fi
nginx -t -q

if [ -d /run/systemd/system ]; then
	systemctl enable --quiet nginx "$fpm"
	systemctl start "$fpm"
	if [ "$changed" = 1 ]; then
		systemctl restart nginx
	else
		systemctl start nginx
	fi
fi
