#!/bin/sh
# Shrinks and generalizes the image as the last provisioning step: removes unused packages,
# apt's caches and (by default) package lists, empties the logs and shell histories, empties
# /etc/machine-id (systemd makes a new one at the next boot), deletes the SSH host keys and
# installs boxbuild-ssh-host-keys.service, which runs `ssh-keygen -A` before sshd at every boot,
# so each VM made from the box gets its own keys; last, `fstrim -av` hands the freed blocks back
# so the box file compresses well.
# Environment:
#   CLEANUP_APT_LISTS  1 = delete /var/lib/apt/lists (students run apt-get update first),
#                      0 = keep them (default: 1)
#   CLEANUP_FSTRIM     1 = run fstrim -av, 0 = skip it (default: 1; always skipped in a chroot,
#                      where it would trim the host's file systems)
set -eu

CLEANUP_APT_LISTS=${CLEANUP_APT_LISTS:-1}
CLEANUP_FSTRIM=${CLEANUP_FSTRIM:-1}
export DEBIAN_FRONTEND=noninteractive

# Host keys: Debian's and Ubuntu's ssh.service refuse to start without them and neither
# regenerates missing keys by itself, hence the unit.
unit=/etc/systemd/system/boxbuild-ssh-host-keys.service
new=$(mktemp)
trap 'rm -f "$new"' EXIT
cat >"$new" <<'UNIT'
# Written by boxbuild's provision/base/cleanup.sh: the box ships without SSH host keys, so every
# VM made from it generates its own before sshd starts.
[Unit]
Description=Generate missing SSH host keys
Before=ssh.service ssh.socket
ConditionPathExists=/usr/bin/ssh-keygen

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A
RemainAfterExit=yes

[Install]
WantedBy=multi-user.target ssh.service
UNIT
if ! { [ -f "$unit" ] && cmp -s "$new" "$unit"; }; then
	install -m 0644 "$new" "$unit"
fi
if [ ! -e /etc/systemd/system/multi-user.target.wants/boxbuild-ssh-host-keys.service ] ||
	[ ! -e /etc/systemd/system/ssh.service.wants/boxbuild-ssh-host-keys.service ]; then
	systemctl enable boxbuild-ssh-host-keys.service
fi
rm -f /etc/ssh/ssh_host_*

apt-get autoremove -y -q --purge
apt-get clean
if [ "$CLEANUP_APT_LISTS" = 1 ]; then
	find /var/lib/apt/lists -mindepth 1 -maxdepth 1 ! -name lock ! -name partial -exec rm -rf {} +
fi

# On a running system the journal is rotated and vacuumed first, so journald is not left
# writing into a file that was cut under it.
if [ -d /run/systemd/system ]; then
	journalctl --rotate >/dev/null 2>&1 || true
	journalctl --vacuum-time=1s >/dev/null 2>&1 || true
fi
find /var/log -type f \( -name '*.gz' -o -name '*.[0-9]' -o -name '*.old' -o -name '*.journal~' \) -delete
find /var/log -type f -size +0 ! -name '*.journal' -exec truncate -s 0 {} +
rm -f /root/.bash_history /home/*/.bash_history

# An empty (not missing) /etc/machine-id makes systemd generate a new ID at the next boot;
# D-Bus's copy points at it so both agree.
if [ -s /etc/machine-id ]; then
	: >/etc/machine-id
fi
if [ -e /var/lib/dbus/machine-id ] && [ ! -L /var/lib/dbus/machine-id ]; then
	rm -f /var/lib/dbus/machine-id
	ln -s /etc/machine-id /var/lib/dbus/machine-id
fi

if [ "$CLEANUP_FSTRIM" = 1 ]; then
	if systemd-detect-virt --chroot >/dev/null 2>&1; then
		echo "cleanup.sh: running in a chroot, fstrim skipped"
	else
		fstrim -av || echo "cleanup.sh: fstrim failed (the disk may not support discard)" >&2
	fi
fi
