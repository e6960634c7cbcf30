#!/usr/bin/env bash
# Starts libvirt for vagrant-libvirt where no init system does it (CI containers, chroots):
# virtlogd and libvirtd as daemons, and the "default" NAT network. Idempotent; needs root.
set -euo pipefail
if ! pgrep -x virtlogd >/dev/null; then
  virtlogd -d
fi
if ! pgrep -x libvirtd >/dev/null; then
  # Without a full init system, QEMU's private mount namespaces fail to set up; libvirt then
  # runs guests in the host's namespace instead.
  conf=/etc/libvirt/qemu.conf
  if [ "$(ps -p 1 -o comm= 2>/dev/null)" != systemd ] && ! grep -q '^namespaces *=' "$conf"; then
    printf '\n# boxbuild: no init system here, see scripts/libvirt-up.sh\nnamespaces = [ ]\n' >>"$conf"
  fi
  libvirtd -d
fi
for _ in $(seq 1 50); do
  if virsh -c qemu:///system version >/dev/null 2>&1; then
    break
  fi
  sleep 0.2
done
# Read the whole output: `virsh … | grep -q` can die of SIGPIPE under pipefail.
nets=$(virsh -c qemu:///system net-list --all)
if ! grep -Eq '^ *default +active' <<<"$nets"; then
  virsh -c qemu:///system net-start default >/dev/null
fi
virsh -c qemu:///system net-list
