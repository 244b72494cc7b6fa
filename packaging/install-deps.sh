#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages ITAP needs (Debian 12, Ubuntu 24.04).
#
#   packaging/install-deps.sh           what building and running itap and itap-console needs (the main job)
#   packaging/install-deps.sh --test    that and what packaging/run-tests.sh needs: the PostgreSQL server, clang
#                                       and its fuzzing runtime, and the tools the package is checked with
#
# Uses sudo when not root; does nothing when everything is already installed, so re-runs are fast.
# ITAP_SKIP_POSTGRES=1 leaves out the PostgreSQL server (its tests are then skipped with a reason).
set -euo pipefail

test_set=0
for arg in "$@"; do
  case "$arg" in
    --test) test_set=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-deps.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake ninja-build git pkg-config
  qt6-base-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6
  libqt6sql6-sqlite libqt6sql6-psql libqt6opengl6-dev libgl1-mesa-dev libxkbcommon-dev
  libeigen3-dev libkissfft-dev nlohmann-json3-dev libsqlite3-dev
  # Qt SVG renders the icon at build time; dpkg-dev (dpkg-shlibdeps) and file let cpack compute the .deb's Depends.
  qt6-svg-dev dpkg-dev file
)
if [ "$test_set" = 1 ]; then
  packages+=(
    # What packaging/install-test.sh checks the packages with (hardening-check is in devscripts).
    desktop-file-utils appstream man-db jq lintian devscripts
    # Fuzzing (tests/fuzz/run-fuzzers.sh): clang and its libFuzzer/sanitizer runtimes.
    clang-14 libclang-rt-14-dev
    # Screenshots of the console under a real X server (xvfb-run), beside the offscreen ones the tests take.
    xvfb xauth
  )
  # PostgreSQL server for the PostgreSQL backend's tests (skipped with a reason when absent).
  if [ "${ITAP_SKIP_POSTGRES:-0}" != 1 ]; then
    packages+=(postgresql)
  fi
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
