# Debian 12 base boxes. "debian12" is built without an installer: mmdebstrap makes the base
# disk, so it builds on any Debian host, with or without KVM.
box "debian12" {
  description = "Debian 12 (bookworm) base"
  version     = "1.0"
  source "bootstrap" {
    suite    = "bookworm"
    packages = ["rsync"]          # Vagrant's synced folder for libvirt; saves an apt run at every first `vagrant up`
  }
  providers = ["libvirt"]
  provision "base/vagrant-user.sh" {}
  provision "base/sshd.sh" {}
  provision "base/locale-timezone.sh" {}
  provision "base/guest-tools.sh" {}
  provision "base/cleanup.sh" {}
}

# The same base from the official installer, for hypervisors that need an installed system
# (VirtualBox, ESXi). The checksum comes from Debian's signed SHA256SUMS next to the ISO.
box "debian12-iso" {
  description = "Debian 12 (bookworm) base, installed from the netinst ISO"
  version     = "1.0"
  source "iso" {
    url      = "https://cdimage.debian.org/cdimage/archive/12.8.0/amd64/iso-cd/debian-12.8.0-amd64-netinst.iso"
    checksum = "file:https://cdimage.debian.org/cdimage/archive/12.8.0/amd64/iso-cd/SHA256SUMS"
    os       = "debian"
  }
  provision "base/vagrant-user.sh" {}
  provision "base/sshd.sh" {}
  provision "base/locale-timezone.sh" {}
  provision "base/guest-tools.sh" {}
  provision "base/cleanup.sh" {}
}
