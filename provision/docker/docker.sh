#!/bin/sh
# Installs Docker from the distribution (docker.io, with containerd and runc), puts the Vagrant
# user into the docker group so `docker` works without sudo after the next login, and enables
# the docker service for boot.
# Environment:
#   DOCKER_USER  the user who may use Docker (default: vagrant)
set -eu

DOCKER_USER=${DOCKER_USER:-vagrant}

# apt_install comes from boxbuild's shell library.
# shellcheck source-path=SCRIPTDIR/.. source=lib/boxbuild.sh
. "$BOXBUILD_LIB"

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
