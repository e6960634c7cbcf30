#!/bin/sh
# Installs Docker from the distribution (docker.io, with containerd and runc), puts the Vagrant
# user into the docker group so `docker` works without sudo after the next login, and enables
# the docker service for boot.
# Environment:
#   DOCKER_USER  the user who may use Docker (default: vagrant)
set -eu

DOCKER_USER=${DOCKER_USER:-vagrant}

# Packages are installed only when missing, so a second run touches neither the package lists
# nor dpkg's state.
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

if ! id "$DOCKER_USER" >/dev/null 2>&1; then
	echo "docker.sh: user '$DOCKER_USER' does not exist; run base/vagrant-user.sh first" >&2
	exit 1
fi

apt_install docker.io

# usermod runs only for a new member, so a second run leaves /etc/group and its backup alone.
case " $(id -nG "$DOCKER_USER") " in
*" docker "*) ;;
*) usermod -aG docker "$DOCKER_USER" ;;
esac

# enable works offline (in a chroot it only creates the symlinks); start needs a booted system.
if [ ! -e /etc/systemd/system/multi-user.target.wants/docker.service ]; then
	systemctl enable docker.service
fi
if [ -d /run/systemd/system ]; then
	systemctl start docker.service
fi
