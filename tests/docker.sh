#!/bin/sh
# Proves Docker works for the Vagrant user without sudo: `docker version` and `docker info`
# must reach the daemon as that user (through the docker group). Nothing is pulled, so the test
# needs no network.
# Environment:
#   DOCKER_USER  the user who must be able to use Docker (default: vagrant)
set -eu

DOCKER_USER=${DOCKER_USER:-vagrant}

# as_user runs a command as DOCKER_USER with the groups /etc/group gives it now, as a fresh
# login would, whether the test runs as root or as that user.
as_user() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$DOCKER_USER" -- "$@"
	elif [ "$(id -un)" = "$DOCKER_USER" ]; then
		sg docker -c "$*"
	else
		echo "docker.sh: run as root or as $DOCKER_USER" >&2
		exit 1
	fi
}

server=$(as_user docker version --format '{{.Server.Version}}')
if [ -z "$server" ]; then
	echo "docker.sh: docker version shows no server for $DOCKER_USER" >&2
	exit 1
fi
as_user docker info --format '{{.ServerVersion}} {{.Driver}}' >/dev/null
echo "docker.sh: $DOCKER_USER reaches Docker $server"
