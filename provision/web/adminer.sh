#!/bin/sh
# Installs Adminer (Debian's adminer package, a one-file database web UI) at /adminer/ behind
# the installed web server (Apache or nginx with PHP-FPM). Opt-in: add this script to a box only
# when the course wants it. It answers only to the addresses in ADMINER_ALLOW, by default the
# guest itself; requests through a Vagrant port forward come from the NAT gateway (VirtualBox:
# 10.0.2.2) and need that address added.
# Environment:
#   ADMINER_ALLOW  addresses or CIDR ranges allowed to open Adminer, space separated
#                  (default: "127.0.0.1 ::1")
set -eu

ADMINER_ALLOW=${ADMINER_ALLOW:-127.0.0.1 ::1}

# apt_install comes from boxbuild's shell library.
# shellcheck source-path=SCRIPTDIR/.. source=lib/boxbuild.sh
. "$BOXBUILD_LIB"

for addr in $ADMINER_ALLOW; do
	case $addr in
	*[!0-9a-fA-F.:/]*)
		echo "adminer.sh: ADMINER_ALLOW entry '$addr' is not an IP address or CIDR range" >&2
		exit 1
		;;
	esac
done
if [ -z "$(printf '%s' "$ADMINER_ALLOW" | tr -d ' ')" ]; then
	echo "adminer.sh: ADMINER_ALLOW is empty" >&2
	exit 1
fi

# put FILE: installs stdin as FILE (mode 0644) only when the content differs; sets changed=1.
changed=0
put() {
	new=$(mktemp)
	cat >"$new"
	if ! { [ -f "$1" ] && cmp -s "$new" "$1"; }; then
		install -m 0644 "$new" "$1"
		changed=1
	fi
	rm -f "$new"
}

if [ -x /usr/sbin/apache2 ]; then
	apt_install adminer
	put /etc/apache2/conf-available/adminer.conf <<CONF
# Written by boxbuild's provision/web/adminer.sh.
Alias /adminer /usr/share/adminer/adminer
<Directory /usr/share/adminer/adminer>
	Require ip $ADMINER_ALLOW
	DirectoryIndex index.php
</Directory>
CONF
	if [ ! -e /etc/apache2/conf-enabled/adminer.conf ]; then
		a2enconf -q adminer
		changed=1
	fi
	apache2ctl configtest
	if [ -d /run/systemd/system ] && [ "$changed" = 1 ]; then
		systemctl reload-or-restart apache2
	fi
elif [ -x /usr/sbin/nginx ]; then
	apt_install adminer
	php_version=$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')
	allow=
	for addr in $ADMINER_ALLOW; do
		allow="$allow	allow $addr;
"
	done
	put /etc/nginx/snippets/boxbuild-adminer.conf <<CONF
# Written by boxbuild's provision/web/adminer.sh; sites-available/boxbuild includes it.
location /adminer/ {
	alias /usr/share/adminer/adminer/;
	index index.php;
$allow	deny all;
	location ~ \\.php\$ {
		include fastcgi_params;
		fastcgi_param SCRIPT_FILENAME \$request_filename;
		fastcgi_pass unix:/run/php/php$php_version-fpm.sock;
	}
}
CONF
	if [ ! -f /etc/nginx/sites-available/boxbuild ]; then
		echo "adminer.sh: nginx has no boxbuild site; run web/nginx-php-fpm.sh first" >&2
		exit 1
	fi
	nginx -t -q
	if [ -d /run/systemd/system ] && [ "$changed" = 1 ]; then
		systemctl reload-or-restart nginx
	fi
else
	echo "adminer.sh: no web server found; run web/apache-php.sh or web/nginx-php-fpm.sh first" >&2
	exit 1
fi
