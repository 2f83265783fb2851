#!/usr/bin/env bash
# Installs the system packages the toolkit's tests, notebooks and collector need
# on a fresh Debian 12 machine (run as root). Safe to run again: it only adds
# what is missing.
#
#   bash scripts/install_system.sh            # everything
#   bash scripts/install_system.sh jupyter    # only Jupyter (notebooks)
#   bash scripts/install_system.sh qemu       # only QEMU >= 9 and the guest build tools
#   bash scripts/install_system.sh bench      # only numpy, scipy, pandas (the benchmark's references)
set -euo pipefail
what="${1:-all}"
export DEBIAN_FRONTEND=noninteractive

need_update=1
apt_update() {
  if [ "$need_update" = 1 ]; then
    apt-get update -qq
    need_update=0
  fi
}

add_backports() {
  # QEMU 7.2 (Debian 12) loses dirty pages under TCG migration; QEMU >= 9 comes from bookworm-backports.
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    local mirror
    mirror=$(grep -rhs "^URIs:" /etc/apt/sources.list.d/debian.sources | head -1 | awk '{print $2}')
    mirror="${mirror:-http://deb.debian.org/debian}"
    printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$mirror" >/etc/apt/sources.list.d/bookworm-backports.sources
    need_update=1
  fi
}

install_jupyter() {
  if ! command -v jupyter-nbconvert >/dev/null 2>&1; then
    apt_update
    apt-get install -y -qq --no-install-recommends jupyter-nbconvert jupyter-client python3-nbclient \
      jupyter-core python3-ipykernel >/dev/null
  fi
}

install_fonts() {
  if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
    apt_update
    apt-get install -y -qq --no-install-recommends fonts-dejavu-core >/dev/null
  fi
}

install_qemu() {
  local version
  version=$(qemu-system-x86_64 --version 2>/dev/null | head -1 | sed -n 's/.*version \([0-9]*\).*/\1/p' || true)
  if [ -z "$version" ] || [ "$version" -lt 9 ]; then
    add_backports
    apt_update
    apt-get install -y -qq --no-install-recommends -t bookworm-backports qemu-system-x86 >/dev/null
  fi
  local pkgs=()
  dpkg -s busybox-static >/dev/null 2>&1 || pkgs+=(busybox-static)
  ls /boot/vmlinuz-* >/dev/null 2>&1 || pkgs+=(linux-image-amd64)
  command -v cpio >/dev/null 2>&1 || pkgs+=(cpio)
  command -v gcc >/dev/null 2>&1 || pkgs+=(gcc libc6-dev)
  command -v ip >/dev/null 2>&1 || pkgs+=(iproute2)
  command -v tc >/dev/null 2>&1 || pkgs+=(iproute2)
  command -v iperf3 >/dev/null 2>&1 || pkgs+=(iperf3)
  command -v file >/dev/null 2>&1 || pkgs+=(file)
  if [ "${#pkgs[@]}" -gt 0 ]; then
    apt_update
    apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  fi
}

install_bench() {
  # Debian's numpy/scipy/pandas for /usr/bin/python3 (bench/reference/*.py).
  if ! /usr/bin/python3 -c "import numpy, scipy, pandas" >/dev/null 2>&1; then
    apt_update
    apt-get install -y -qq --no-install-recommends python3-numpy python3-scipy python3-pandas >/dev/null
  fi
}

case "$what" in
  all) install_fonts; install_jupyter; install_qemu; install_bench ;;
  jupyter) install_jupyter ;;
  fonts) install_fonts ;;
  qemu) install_qemu ;;
  bench) install_bench ;;
  *) echo "install_system.sh: unknown part \"$what\", expected all, jupyter, fonts, qemu or bench" >&2; exit 2 ;;
esac
