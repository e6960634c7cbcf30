#!/bin/sh
# Refreshes the package lists and, by default, installs pending updates, so a box starts from
# the current security fixes of its release.
# Environment:
#   APT_UPGRADE  1 = run `apt-get upgrade` after the update, 0 = only refresh the lists
#                (default: 1)
set -eu

APT_UPGRADE=${APT_UPGRADE:-1}
export DEBIAN_FRONTEND=noninteractive

apt-get update -q
case $APT_UPGRADE in
1) apt-get upgrade -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold ;;
0) ;;
*)
	echo "apt-update.sh: APT_UPGRADE must be 0 or 1, got '$APT_UPGRADE'" >&2
	exit 1
	;;
esac
