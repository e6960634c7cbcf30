#!/bin/sh
# boxbuild's shell library: functions the provisioning and test scripts share. boxbuild
# uploads it next to a build's scripts whenever one of them names BOXBUILD_LIB, and sets
# BOXBUILD_LIB to its path in the guest; a script loads it with
#   # shellcheck source=provision/lib/boxbuild.sh
#   . "$BOXBUILD_LIB"
# It defines functions only and changes nothing by being sourced.
# Environment: none read when sourced; apt_install exports DEBIAN_FRONTEND=noninteractive.
set -eu

# apt_install PACKAGE… installs the packages that are missing, without recommends. When all
# are installed it returns at once, so a second run touches neither the package lists nor
# dpkg's state.
apt_install() {
	missing=
	for pkg in "$@"; do
		# shellcheck disable=SC2016 # ${db:Status-Abbrev} is dpkg-query's syntax, not the shell's
		case $(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true) in
		ii*) ;;
		*) missing="$missing $pkg" ;;
		esac
	done
	[ -n "$missing" ] || return 0
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086 # the package list is meant to split into words
	apt-get install -y -q --no-install-recommends $missing
}
