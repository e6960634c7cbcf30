#!/bin/sh
# Configures the OpenSSH server for Vagrant through a drop-in,
# /etc/ssh/sshd_config.d/10-boxbuild.conf: `UseDNS no` and `GSSAPIAuthentication no`, so a
# login does not wait for reverse DNS or Kerberos lookups that time out on a private network.
# The drop-in is checked with `sshd -t` and sshd is reloaded when it changed on a running system.
# Environment: none.
set -eu

# apt_install comes from boxbuild's shell library.
# shellcheck source-path=SCRIPTDIR/.. source=lib/boxbuild.sh
. "$BOXBUILD_LIB"

apt_install openssh-server

# Debian 12 and Ubuntu 24.04 both include sshd_config.d/*.conf at the top of sshd_config, and
# sshd keeps the first value it reads, so the drop-in wins over the main file.
if ! grep -qE '^[[:space:]]*Include[[:space:]]+/etc/ssh/sshd_config\.d/\*\.conf' /etc/ssh/sshd_config; then
	echo "sshd.sh: /etc/ssh/sshd_config does not include sshd_config.d/*.conf; unsupported release" >&2
	exit 1
fi

dropin=/etc/ssh/sshd_config.d/10-boxbuild.conf
new=$(mktemp)
trap 'rm -f "$new"' EXIT
cat >"$new" <<'CONF'
# Written by boxbuild's provision/base/sshd.sh.
UseDNS no
GSSAPIAuthentication no
CONF

if [ -f "$dropin" ] && cmp -s "$new" "$dropin"; then
	exit 0
fi
install -d -m 0755 /etc/ssh/sshd_config.d
install -m 0644 "$new" "$dropin"

# sshd -t needs host keys and its privilege separation directory; after base/cleanup.sh removed
# the keys there is nothing to test against until the next boot generates them.
if ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1; then
	install -d -m 0755 /run/sshd
	sshd -t
fi
if [ -d /run/systemd/system ] && systemctl is-active --quiet ssh; then
	systemctl reload ssh
fi
