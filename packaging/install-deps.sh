#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages ITAP needs to build, test and run (Debian 12, Ubuntu 24.04).
# Uses sudo when not root; does nothing when everything is already installed, so re-runs are fast.
set -euo pipefail

packages=(
  build-essential cmake ninja-build git pkg-config
  qt6-base-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6
  libqt6sql6-sqlite libqt6sql6-psql libqt6opengl6-dev libgl1-mesa-dev libxkbcommon-dev
  libeigen3-dev libkissfft-dev nlohmann-json3-dev libsqlite3-dev
  xvfb xauth
  # Packaging: Qt SVG renders the icon at build time; dpkg-dev (dpkg-shlibdeps) and file compute the .deb's
  # Depends; the rest are what packaging/install-test.sh checks the package with.
  qt6-svg-dev dpkg-dev file desktop-file-utils appstream man-db jq
  # Fuzzing (tests/fuzz/run-fuzzers.sh): clang and its libFuzzer/sanitizer runtimes.
  clang-14 libclang-rt-14-dev
)
# PostgreSQL server for the PostgreSQL backend's tests (skipped with a reason when absent).
if [ "${ITAP_SKIP_POSTGRES:-0}" != 1 ]; then
  packages+=(postgresql)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
