# Ubuntu 24.04 LTS base, installed unattended with autoinstall.
box "ubuntu2404" {
  description = "Ubuntu 24.04 LTS base"
  version     = "1.0"
  source "iso" {
    url      = "https://releases.ubuntu.com/24.04.1/ubuntu-24.04.1-live-server-amd64.iso"
    checksum = "file:https://releases.ubuntu.com/24.04.1/SHA256SUMS"
    os       = "ubuntu"
  }
  provision "base/vagrant-user.sh" {}
  provision "base/sshd.sh" {}
  provision "base/locale-timezone.sh" {}
  provision "base/guest-tools.sh" {}
  provision "base/cleanup.sh" {}
}
