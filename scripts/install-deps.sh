#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs itsim's build and test dependencies from Debian bookworm packages.
# Safe to run again: it installs only what is missing. Needs root (or sudo) on a
# fresh machine; does nothing when everything is already there.
set -euo pipefail

packages=(
  cmake ninja-build g++ make pkg-config git clang-format
  libboost-program-options-dev libboost-dev
  libeigen3-dev libyaml-cpp-dev libhdf5-dev libmuparser-dev
  libopenmpi-dev openmpi-bin
  libxlsxwriter-dev
  libcpp-httplib-dev nlohmann-json3-dev
  libcsv-dev libhowardhinnant-date-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema python3-yaml
  python3-numpy python3-h5py python3-xarray python3-h5netcdf python3-openpyxl
  clang libclang-rt-dev
  chromium
)

missing=()
# Node.js and npm (for `npm ci` below) from Debian, unless a node and npm are already on PATH
# (Debian's npm package conflicts with a Node.js installed another way).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

install_npm() {
  # The report's charting libraries (inlined into the HTML at build time) and the browser
  # test's driver, pinned by package-lock.json. `npm ci` only when node_modules is missing
  # or older than the lock file.
  local root
  root="$(cd "$(dirname "$0")/.." && pwd)"
  if [ ! -f "$root/node_modules/.package-lock.json" ] ||
     [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci (vega, vega-lite, vega-embed, playwright-core)"
    (cd "$root" && npm ci --no-audit --no-fund)
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present (and node, npm)"
  install_npm
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_npm
