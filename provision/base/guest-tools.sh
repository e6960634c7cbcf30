#!/bin/sh
# Installs the guest tools of the hypervisor the box is built for:
#   virtualbox                   VirtualBox guest additions, from the ISO Packer uploads when
#                                it is there (it matches the host's VirtualBox), else the
#                                distribution's virtualbox-guest-utils (Ubuntu multiverse;
#                                Debian 12 has none, so there the ISO is required)
#   vmware_esxi, vmware_desktop  open-vm-tools
#   libvirt, qemu                qemu-guest-agent (started by udev when its virtio port exists)
# Environment:
#   PROVIDER   the provider being built (required; Packer's template passes it)
#   VBOX_ISO   where Packer uploaded the guest additions ISO
#              (default: /home/vagrant/VBoxGuestAdditions.iso)
set -eu

PROVIDER=${PROVIDER:-}
VBOX_ISO=${VBOX_ISO:-/home/vagrant/VBoxGuestAdditions.iso}

# apt_install comes from boxbuild's shell library.
# shellcheck source-path=SCRIPTDIR/.. source=lib/boxbuild.sh
. "$BOXBUILD_LIB"

installed() {
	# shellcheck disable=SC2016 # ${db:Status-Abbrev} is dpkg-query's syntax, not the shell's
	case $(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true) in
	ii*) return 0 ;;
	*) return 1 ;;
	esac
}

# The ISO's installer builds kernel modules, so it needs the headers of the running kernel.
vbox_from_iso() {
	apt_install build-essential dkms bzip2 "linux-headers-$(uname -r)"
	mnt=$(mktemp -d)
	mount -o loop,ro "$VBOX_ISO" "$mnt"
	# The installer exits 2 when it cannot load the modules into the running kernel yet,
	# which is normal before the reboot; success is judged by what it installed.
	sh "$mnt/VBoxLinuxAdditions.run" --nox11 || true
	umount "$mnt"
	rmdir "$mnt"
	if ! ls -d /opt/VBoxGuestAdditions-* >/dev/null 2>&1; then
		echo "guest-tools.sh: the VirtualBox guest additions from $VBOX_ISO did not install" >&2
		exit 1
	fi
	rm -f "$VBOX_ISO"
}

case $PROVIDER in
virtualbox)
	if ls -d /opt/VBoxGuestAdditions-* >/dev/null 2>&1 || installed virtualbox-guest-utils; then
		exit 0
	fi
	if [ -f "$VBOX_ISO" ]; then
		vbox_from_iso
		exit 0
	fi
	apt-get update -q
	if apt-cache show virtualbox-guest-utils >/dev/null 2>&1; then
		apt_install virtualbox-guest-utils
		exit 0
	fi
	echo "guest-tools.sh: no VirtualBox guest additions: $VBOX_ISO does not exist and this release has no virtualbox-guest-utils package (let Packer upload the ISO: guest_additions_mode = \"upload\")" >&2
	exit 1
	;;
vmware_esxi | vmware_desktop)
	apt_install open-vm-tools
	;;
libvirt | qemu)
	apt_install qemu-guest-agent
	;;
'')
	echo "guest-tools.sh: PROVIDER is not set (virtualbox, vmware_esxi, vmware_desktop, libvirt or qemu)" >&2
	exit 1
	;;
*)
	echo "guest-tools.sh: unknown PROVIDER '$PROVIDER' (virtualbox, vmware_esxi, vmware_desktop, libvirt or qemu)" >&2
	exit 1
	;;
esac
