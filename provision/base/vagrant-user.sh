#!/bin/sh
# Creates the Vagrant login user with Vagrant's insecure public key in ~/.ssh/authorized_keys
# (Vagrant swaps it for a fresh key on the first `vagrant up`) and passwordless sudo through
# /etc/sudoers.d (checked with `visudo -cf` before it is installed).
# Environment:
#   VAGRANT_USER      the user name (default: vagrant)
#   VAGRANT_PUBKEY    the public key to authorize (default: Vagrant's insecure public key, as
#                     shipped in Vagrant's keys/vagrant.pub)
#   VAGRANT_PASSWORD  optional login password (default: unset = the password is left alone;
#                     a user created here keeps a locked password, so only the key logs in)
set -eu

VAGRANT_USER=${VAGRANT_USER:-vagrant}
INSECURE_KEY='ssh-rsa AAAAB3NzaC1yc2EAAAABIwAAAQEA6NF8iallvQVp22WDkTkyrtvp9eWW6A8YVr+kz4TjGYe7gHzIw+niNltGEFHzD8+v1I2YJ6oXevct1YeS0o9HZyN1Q9qgCgzUFtdOKLv6IedplqoPkcmF0aYet2PkEDo3MlTBckFXPITAMzF8dJSIFo9D8HfdOV0IAdx4O7PtixWKn5y2hMNG0zQPyUecp4pzC6kivAIhyfHilFR61RGL+GPXQ2MWZWFYbAGjyiYJnAmCP3NOTd0jMZEnDkbUvxhMmBYSdETk1rRgm+R4LOzFUGaHqHDLKLX+FIPKcF96hrucXzcWyLbIbEgE98OHlnVYCzRdK8jlqm8tehUc9c9WhQ== vagrant insecure public key'
VAGRANT_PUBKEY=${VAGRANT_PUBKEY:-$INSECURE_KEY}

# apt_install comes from boxbuild's shell library.
# shellcheck source-path=SCRIPTDIR/.. source=lib/boxbuild.sh
. "$BOXBUILD_LIB"

case $VAGRANT_USER in
'' | *[!a-z0-9_-]*)
	echo "vagrant-user.sh: VAGRANT_USER '$VAGRANT_USER' is not a valid user name" >&2
	exit 1
	;;
esac

apt_install sudo openssh-server

if ! id "$VAGRANT_USER" >/dev/null 2>&1; then
	useradd --create-home --user-group --shell /bin/bash "$VAGRANT_USER"
fi
home=$(getent passwd "$VAGRANT_USER" | cut -d: -f6)
group=$(id -gn "$VAGRANT_USER")

# The key is added next to any keys already there, never replacing them.
install -d -m 0700 -o "$VAGRANT_USER" -g "$group" "$home/.ssh"
keys=$home/.ssh/authorized_keys
if ! { [ -f "$keys" ] && grep -qxF "$VAGRANT_PUBKEY" "$keys"; }; then
	printf '%s\n' "$VAGRANT_PUBKEY" >>"$keys"
fi
chown "$VAGRANT_USER:$group" "$keys"
chmod 0600 "$keys"

# The sudoers rule goes live only after visudo accepted it: a broken file in /etc/sudoers.d
# would lock every user out of sudo.
rule=$(mktemp)
trap 'rm -f "$rule"' EXIT
printf '%s ALL=(ALL) NOPASSWD: ALL\n' "$VAGRANT_USER" >"$rule"
visudo -cf "$rule" >/dev/null
target=/etc/sudoers.d/$VAGRANT_USER
if ! { [ -f "$target" ] && cmp -s "$rule" "$target"; }; then
	install -m 0440 -o root -g root "$rule" "$target"
fi
chmod 0440 "$target"

# The password is compared against the stored SHA-512 crypt hash with its own salt, so an
# unchanged password is not rehashed (a new salt would rewrite /etc/shadow on every run). It
# travels on stdin only, never on a command line.
if [ -n "${VAGRANT_PASSWORD:-}" ]; then
	apt_install openssl
	current=$(getent shadow "$VAGRANT_USER" | cut -d: -f2)
	salt=
	case $current in
	"\$6\$"*) salt=$(printf '%s' "$current" | cut -d'$' -f3) ;;
	esac
	if [ -z "$salt" ] || [ "$(printf '%s\n' "$VAGRANT_PASSWORD" | openssl passwd -6 -salt "$salt" -stdin)" != "$current" ]; then
		hash=$(printf '%s\n' "$VAGRANT_PASSWORD" | openssl passwd -6 -stdin)
		printf '%s:%s\n' "$VAGRANT_USER" "$hash" | chpasswd -e
	fi
fi
