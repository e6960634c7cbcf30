#!/bin/sh
# Generates the system locale and sets it as LANG in /etc/default/locale, and sets the time zone
# (/etc/localtime and /etc/timezone).
# Environment:
#   LOCALE          the system locale (default: en_US.UTF-8)
#   EXTRA_LOCALES   more locales to generate, space separated, e.g. "de_CH.UTF-8 fr_CH.UTF-8"
#                   (default: none)
#   TZ              the time zone, a name under /usr/share/zoneinfo (default: Europe/Zurich)
set -eu

LOCALE=${LOCALE:-en_US.UTF-8}
EXTRA_LOCALES=${EXTRA_LOCALES:-}
TZ=${TZ:-Europe/Zurich}

# apt_install comes from boxbuild's shell library.
# shellcheck source-path=SCRIPTDIR/.. source=lib/boxbuild.sh
. "$BOXBUILD_LIB"

apt_install locales tzdata

# Locales are named in /usr/share/i18n/SUPPORTED as "de_CH.UTF-8 UTF-8"; anything else would
# make locale-gen fail later with a less helpful message.
for loc in $LOCALE $EXTRA_LOCALES; do
	if ! grep -q "^$loc " /usr/share/i18n/SUPPORTED; then
		echo "locale-timezone.sh: unknown locale '$loc' (see /usr/share/i18n/SUPPORTED)" >&2
		exit 1
	fi
done
if [ ! -f "/usr/share/zoneinfo/$TZ" ]; then
	echo "locale-timezone.sh: unknown time zone '$TZ' (see /usr/share/zoneinfo)" >&2
	exit 1
fi

# `locale -a` spells en_US.UTF-8 as en_US.utf8; norm makes both the same.
norm() {
	printf '%s\n' "$1" | tr '[:upper:]' '[:lower:]' | sed 's/-//g'
}
have=$(locale -a | tr '[:upper:]' '[:lower:]' | sed 's/-//g')
missing=
for loc in $LOCALE $EXTRA_LOCALES; do
	if ! printf '%s\n' "$have" | grep -qxF "$(norm "$loc")"; then
		missing="$missing $loc"
	fi
done
# locale-gen rebuilds the archive, so it runs only when a wanted locale is missing. Ubuntu's
# locale-gen takes the names as arguments; Debian's reads the enabled lines of /etc/locale.gen.
if [ -n "$missing" ]; then
	if [ -d /var/lib/locales/supported.d ]; then
		# shellcheck disable=SC2086 # the locale list is meant to split into words
		locale-gen $missing
	else
		for loc in $missing; do
			line=$(grep "^$loc " /usr/share/i18n/SUPPORTED | head -n 1)
			if ! grep -qxF "$line" /etc/locale.gen; then
				printf '%s\n' "$line" >>/etc/locale.gen
			fi
		done
		locale-gen
	fi
fi
if [ "$(cat /etc/default/locale 2>/dev/null || true)" != "LANG=$LOCALE" ]; then
	printf 'LANG=%s\n' "$LOCALE" >/etc/default/locale
fi

if [ "$(readlink /etc/localtime || true)" != "/usr/share/zoneinfo/$TZ" ]; then
	ln -sfn "/usr/share/zoneinfo/$TZ" /etc/localtime
fi
if [ "$(cat /etc/timezone 2>/dev/null || true)" != "$TZ" ]; then
	printf '%s\n' "$TZ" >/etc/timezone
fi
