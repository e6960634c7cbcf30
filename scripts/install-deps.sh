#!/usr/bin/env bash
# Installs, from Debian's packages, every tool boxbuild drives: Packer and QEMU to build,
# mmdebstrap and syslinux for the installer-free base image, Vagrant and vagrant-libvirt to
# boot what was built, shellcheck for the scripts, nginx and wrk for benchmarks, Chromium
# for the catalog page test. Idempotent; needs root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: run as root (apt-get install)" >&2
  exit 1
fi
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]; then
  apt-get update -qq
fi
apt-get install -y -qq --no-install-recommends \
  packer qemu-system-x86 qemu-utils mmdebstrap extlinux syslinux-common fdisk procps curl \
  ca-certificates git make \
  vagrant vagrant-libvirt libvirt-daemon-system libvirt-clients dnsmasq-base iptables \
  shellcheck nginx-light wrk hyperfine chromium \
  >/dev/null
