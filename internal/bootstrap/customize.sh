#!/bin/sh
# Turns a fresh mmdebstrap rootfs into a Vagrant-ready guest: the vagrant user with its
# password, passwordless sudo and Vagrant's insecure key, DHCP on every NIC through
# systemd-networkd, DNS through systemd-resolved, sshd without reverse DNS, and no apt timers
# that would hold the dpkg lock while a provisioner runs; and extlinux.conf, kept pointing at
# the installed kernel by a kernel hook.
# Usage: customize.sh ROOTFS PUBKEY_FILE
set -eu
root=$1
pubkey=$2

chroot "$root" useradd --create-home --shell /bin/bash --groups sudo vagrant
echo 'vagrant:vagrant' | chroot "$root" chpasswd
printf 'vagrant ALL=(ALL) NOPASSWD:ALL\n' >"$root/etc/sudoers.d/vagrant"
chmod 0440 "$root/etc/sudoers.d/vagrant"
install -d -m 0700 "$root/home/vagrant/.ssh"
install -m 0600 "$pubkey" "$root/home/vagrant/.ssh/authorized_keys"
chroot "$root" chown -R vagrant:vagrant /home/vagrant/.ssh

cat >"$root/etc/systemd/network/20-dhcp.network" <<'NET'
[Match]
Name=en* eth*

[Network]
DHCP=yes
NET
chroot "$root" systemctl enable systemd-networkd.service systemd-resolved.service
ln -sf /run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"

install -d "$root/etc/ssh/sshd_config.d"
printf 'UseDNS no\n' >"$root/etc/ssh/sshd_config.d/boxbuild.conf"

for unit in apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service; do
	ln -sf /dev/null "$root/etc/systemd/system/$unit"
done

echo boxbuild >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tboxbuild\n' >"$root/etc/hosts"
printf 'LABEL=rootfs\t/\text4\terrors=remount-ro\t0\t1\n' >"$root/etc/fstab"
# The image is cloned many times: each clone must make its own machine-id and host keys.
: >"$root/etc/machine-id"
rm -f "$root"/etc/ssh/ssh_host_*
cat >"$root/etc/systemd/system/boxbuild-ssh-hostkeys.service" <<'UNIT'
[Unit]
Description=Generate this machine's SSH host keys
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
UNIT
chroot "$root" systemctl enable boxbuild-ssh-hostkeys.service

# extlinux.conf names the kernel and initrd by their real paths. The kernel package runs this
# hook after every install and removal (after initramfs-tools, by its zz- name), so a box whose
# provisioning upgrades the kernel and autoremoves the old one still boots; here it writes the
# first one.
for dir in postinst.d postrm.d; do
	install -d "$root/etc/kernel/$dir"
	cat >"$root/etc/kernel/$dir/zz-boxbuild-extlinux" <<'HOOK'
#!/bin/sh
# boxbuild: point /boot/extlinux/extlinux.conf at the kernel /vmlinuz and /initrd.img name.
set -e
kernel=$(readlink -f /vmlinuz)
initrd=$(readlink -f /initrd.img)
if [ ! -f "$kernel" ] || [ ! -f "$initrd" ]; then
	exit 0
fi
mkdir -p /boot/extlinux
cat >/boot/extlinux/extlinux.conf.new <<CONF
DEFAULT linux
PROMPT 0
TIMEOUT 1
LABEL linux
  LINUX $kernel
  INITRD $initrd
  APPEND root=LABEL=rootfs ro console=ttyS0,115200 net.ifnames=0
CONF
mv /boot/extlinux/extlinux.conf.new /boot/extlinux/extlinux.conf
HOOK
	chmod 0755 "$root/etc/kernel/$dir/zz-boxbuild-extlinux"
done
chroot "$root" /etc/kernel/postinst.d/zz-boxbuild-extlinux
