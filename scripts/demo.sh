#!/usr/bin/env bash
# The README's first command (`make demo`): on a fresh Debian 12 machine, as root, install the
# tools, write a workspace from the defaults embedded in boxbuild, build the bootstrap base box
# and the nginx web box with QEMU (KVM if there is one, TCG otherwise), test and publish them,
# serve the catalog on 127.0.0.1, generate a Vagrantfile, boot the box with vagrant-libvirt and
# read the landing page from inside the guest. Everything it started is cleaned up at the end
# or on Ctrl-C. Environment: BOXBUILD_DEMO_DIR (default ./.demo), BOXBUILD_DEMO_PORT (8099).
set -euo pipefail
cd "$(dirname "$0")/.."

ws=${BOXBUILD_DEMO_DIR:-$PWD/.demo}
port=${BOXBUILD_DEMO_PORT:-8099}
bb=$PWD/bin/boxbuild
serve_pid=""

say() { printf '\n== [%s, %3ds] %s\n' "$(date +%H:%M:%S)" "$SECONDS" "$*"; }

cleanup() {
  status=$?
  trap - EXIT INT TERM
  say "cleaning up"
  if [ -f "$ws/student/Vagrantfile" ]; then
    (cd "$ws/student" && vagrant destroy -f >/dev/null 2>&1) || true
  fi
  remove_box_volumes
  if [ -n "$serve_pid" ]; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  exit "$status"
}

# vagrant-libvirt keeps each box version's disk as a pool volume and reuses it even when the
# box was rebuilt: remove the demo box's volumes so every run boots what it just built.
remove_box_volumes() {
  command -v virsh >/dev/null || return 0
  vols=$(virsh -c qemu:///system vol-list default 2>/dev/null || true)
  awk '/tbz-VAGRANTSLASH-nginx/ {print $1}' <<<"$vols" | while read -r vol; do
    virsh -c qemu:///system vol-delete --pool default "$vol" >/dev/null || true
  done
}

if [ "$(id -u)" -ne 0 ]; then
  echo "demo: run as root (it installs Debian packages, makes disk images and starts libvirt)" >&2
  exit 1
fi
command -v go >/dev/null || { echo "demo: Go is needed to build boxbuild (https://go.dev/dl/)" >&2; exit 1; }

say "installing packer, qemu, mmdebstrap, vagrant, vagrant-libvirt from Debian"
bash scripts/install-deps.sh

say "building boxbuild"
go build -o "$bb" ./cmd/boxbuild
"$bb" version

if [ ! -f "$ws/boxbuild.hcl" ]; then
  say "writing a workspace to $ws from boxbuild's embedded defaults"
  "$bb" init "$ws"
  sed -i "s|http://127.0.0.1:8099|http://127.0.0.1:$port|" "$ws/boxbuild.hcl"
fi
trap cleanup EXIT INT TERM
# The demo builds nginx, which needs no database password; the workspace's database boxes
# would. A throw-away random one keeps validate from warning about it on every step.
export BOXBUILD_VAR_db_root_password="${BOXBUILD_VAR_db_root_password:-$(head -c 18 /dev/urandom | base64)}"

say "validating the workspace"
"$bb" -C "$ws" validate

say "what will build, and why"
"$bb" -C "$ws" plan nginx

say "building nginx and the debian12 base it derives from (a few minutes without KVM)"
"$bb" -C "$ws" build nginx

say "booting the built box and running its tests"
"$bb" -C "$ws" test nginx

say "publishing to the local catalog"
"$bb" -C "$ws" publish

say "serving the catalog on http://127.0.0.1:$port"
"$bb" -C "$ws" serve --dir "$ws/catalog" --addr "127.0.0.1:$port" &
serve_pid=$!
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/tbz/nginx" | head -c 400
echo

say "writing the student's Vagrantfile"
"$bb" -C "$ws" vagrantfile nginx --provider libvirt -o "$ws/student/Vagrantfile"

say "starting libvirt"
bash scripts/libvirt-up.sh
export VAGRANT_HOME="$ws/vagrant.d" VAGRANT_CHECKPOINT_DISABLE=1
remove_box_volumes

say "vagrant up --provider=libvirt (3 to 4 minutes without KVM)"
(cd "$ws/student" && vagrant up --provider=libvirt)

say "the landing page, read from inside the guest"
page=$(cd "$ws/student" && vagrant ssh -c 'curl -s http://127.0.0.1/')
printf '%s\n' "$page"
if ! grep -q 'version <strong>[0-9.]*</strong>' <<<"$page"; then
  echo "demo: the page inside the guest does not name the box's version" >&2
  exit 1
fi
say "done: built, tested, published, served and booted"
