#!/usr/bin/env bash
# packaging/install-test.sh BUILD_DIR
#
# Builds the Debian package of a configured build directory with cpack, checks what it contains, installs it
# with apt-get (so its Depends must resolve on this machine), runs `itap` and `itap-console` from /usr/bin, then
# removes it again together with any package its installation pulled in. Exits non-zero with a message on the
# first failure. Uses sudo when not run as root. Needs jq, desktop-file-utils, appstream, man-db and file
# (packaging/install-deps.sh installs them). Takes about 1.5 min after the build is up to date.
#
# Environment: ITAP_INSTALL_TEST_KEEP=1 leaves the package installed (for looking around afterwards).
set -euo pipefail

readonly app_id=org.example.itap

fail() {
  echo "install-test: FAIL: $*" >&2
  exit 1
}
step() { echo "install-test: $*" >&2; }

[ $# -eq 1 ] || {
  echo "usage: $0 BUILD_DIR   (a configured ITAP build directory, e.g. build/default)" >&2
  exit 2
}
build_dir=$(cd "$1" 2>/dev/null && pwd) || fail "$1: no such directory"
[ -f "$build_dir/CPackConfig.cmake" ] || fail "$build_dir: no CPackConfig.cmake; configure the build first (cmake --preset default)"
for tool in cmake cpack dpkg-deb dpkg-shlibdeps readelf apt-get jq desktop-file-validate appstreamcli man file; do
  command -v "$tool" >/dev/null || fail "'$tool' is not installed; run packaging/install-deps.sh"
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
if dpkg-query -W -f='${Status}' itap 2>/dev/null | grep -q 'install ok installed'; then
  fail "the package itap is already installed ($(dpkg-query -W -f='${Version}' itap)); this test installs and removes it, so remove it first: ${SUDO:+$SUDO }apt-get remove itap"
fi

started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/itap-install-test.XXXXXX")
installed=0
new_packages=()
cleanup() {
  local rc=$?
  if [ "$installed" = 1 ] && [ "${ITAP_INSTALL_TEST_KEEP:-0}" != 1 ]; then
    step "removing itap${new_packages[*]:+ and what its installation pulled in: ${new_packages[*]}}"
    # Only the packages this installation added (from apt-get's own list), so that nothing else installed on
    # the machine in the meantime is touched.
    if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 \
      itap "${new_packages[@]}" >"$work/remove.log" 2>&1; then
      cat "$work/remove.log" >&2
      echo "install-test: FAIL: could not remove the package again" >&2
      rc=1
    elif [ -e /usr/bin/itap ] || [ -e /usr/bin/itap-console ]; then
      echo "install-test: FAIL: /usr/bin/itap or /usr/bin/itap-console still exists after removal" >&2
      rc=1
    fi
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT

# 1. The package.
# Build first: cpack reads CPackConfig.cmake before its own pre-install build could regenerate it.
step "building $build_dir"
if ! cmake --build "$build_dir" >"$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log" >&2
  fail "cmake --build $build_dir failed (log above)"
fi
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build_dir/CPackConfig.cmake")
[ -n "$version" ] || fail "$build_dir/CPackConfig.cmake: no CPACK_PACKAGE_VERSION"
step "building the package with cpack"
rm -f "$build_dir"/packages/itap_*.deb
if ! (cd "$build_dir" && cpack -G DEB -B "$build_dir/packages") >"$work/cpack.log" 2>&1; then
  tail -n 40 "$work/cpack.log" >&2
  fail "cpack failed (log above)"
fi
debs=("$build_dir"/packages/itap_"$version"_*.deb)
[ -f "${debs[0]}" ] || fail "cpack wrote no $build_dir/packages/itap_${version}_*.deb"
[ ${#debs[@]} -eq 1 ] || fail "more than one package: ${debs[*]}"
deb=${debs[0]}
step "package: $deb ($(du -k "$deb" | cut -f1) KiB, installed size $(dpkg-deb -f "$deb" Installed-Size) KiB)"

# The commit the build recorded, which `itap --version` must show; it must be the source tree's HEAD.
header="$build_dir/app/generated/itap_version.h"
[ -f "$header" ] || fail "$header: missing (the itap target was not built)"
commit=$(sed -n 's/^#define ITAP_GIT_COMMIT "\(.*\)"$/\1/p' "$header")
source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build_dir/CMakeCache.txt")
if head=$(git -C "$source_dir" rev-parse --short=12 HEAD 2>/dev/null); then
  [ "${commit%-dirty}" = "$head" ] || fail "$header records commit '$commit', the source tree is at $head"
fi

# 2. What the package holds.
[ "$(dpkg-deb -f "$deb" Package)" = itap ] || fail "package name is '$(dpkg-deb -f "$deb" Package)', not itap"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version '$(dpkg-deb -f "$deb" Version)' is not $version"
depends=$(dpkg-deb -f "$deb" Depends)
for dep in libqt6core6 libqt6widgets6 libqt6charts6 libqt6sql6-sqlite libc6; do
  grep -qE "(^|, )$dep( |,|$)" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/contents"
expected=(
  /usr/bin/itap /usr/bin/itap-console
  "/usr/share/applications/$app_id.desktop"
  "/usr/share/metainfo/$app_id.metainfo.xml"
  "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
  /usr/share/man/man1/itap.1.gz /usr/share/man/man1/itap-console.1.gz
  /usr/share/itap/sensor_catalog.json /usr/share/itap/simulation_profile.json /usr/share/itap/alert_rules.json
)
for size in 16 32 48 64 128 256; do
  expected+=("/usr/share/icons/hicolor/${size}x$size/apps/$app_id.png")
done
for path in "${expected[@]}"; do
  grep -qxF "$path" "$work/contents" || fail "the package lacks $path"
done
step "package holds all ${#expected[@]} expected files; Depends: $depends"

# The desktop entry, the metadata and the icons as shipped.
dpkg-deb -x "$deb" "$work/root"
desktop-file-validate "$work/root/usr/share/applications/$app_id.desktop" ||
  fail "$app_id.desktop does not validate (desktop-file-validate above)"
appstreamcli validate --no-net --pedantic "$work/root/usr/share/metainfo/$app_id.metainfo.xml" >"$work/appstream.log" 2>&1 || {
  cat "$work/appstream.log" >&2
  fail "$app_id.metainfo.xml does not validate"
}
for size in 16 32 48 64 128 256; do
  png="$work/root/usr/share/icons/hicolor/${size}x$size/apps/$app_id.png"
  file -b "$png" | grep -q "^PNG image data, $size x $size," || fail "$png: not a ${size}x$size PNG ($(file -b "$png"))"
done
# No RPATH: the package installs beside system libraries only (and one into the build tree would make the
# installed binaries work here and nowhere else).
for bin in itap itap-console; do
  ! readelf -d "$work/root/usr/bin/$bin" | grep -qE 'R(UN)?PATH' ||
    fail "/usr/bin/$bin carries an RPATH: $(readelf -d "$work/root/usr/bin/$bin" | grep -E 'R(UN)?PATH')"
done
for json in "$work"/root/usr/share/itap/*.json; do
  jq empty "$json" || fail "$json: not valid JSON"
done

# 3. Install: apt-get resolves the package's Depends from the configured archives.
step "installing with apt-get"
if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 "$deb" \
  >"$work/install.log" 2>&1; then
  cat "$work/install.log" >&2
  fail "apt-get install $deb failed"
fi
installed=1
# apt-get lists what it adds under "The following NEW packages will be installed:"; remember all but itap.
mapfile -t new_packages < <(awk '/^The following NEW packages will be installed:/ {on = 1; next}
                                  on && /^  / {for (i = 1; i <= NF; i++) print $i; next}
                                  {on = 0}' "$work/install.log" | sed 's/:.*$//' | grep -vx itap || true)
dpkg-query -W -f='${Status}' itap | grep -q 'install ok installed' || fail "dpkg does not list itap as installed"
[ "$(command -v itap)" = /usr/bin/itap ] || fail "itap on PATH is '$(command -v itap)', not /usr/bin/itap"

# Every run below uses a throw-away home: nothing of the operator's (settings, app data) is read or left behind.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# A DISPLAY without a reachable X server (common on CI) must not decide the outcome.
export QT_QPA_PLATFORM=offscreen
cd "$work"

# 4. itap --version: the version of the project and the commit of the build.
got=$(/usr/bin/itap --version) || fail "/usr/bin/itap --version failed"
[ "$got" = "itap $version (git $commit)" ] || fail "/usr/bin/itap --version printed '$got', expected 'itap $version (git $commit)'"
got=$(/usr/bin/itap-console --version) || fail "/usr/bin/itap-console --version failed"
grep -qF "$version (git $commit)" <<<"$got" || fail "/usr/bin/itap-console --version printed '$got'"
step "installed binaries report $version, commit $commit"

# 5. itap run on a small fleet.
step "itap run --devices 4 --hours 12"
if ! /usr/bin/itap run --devices 4 --hours 12 --seed 7 --out "$work/run" >"$work/run.log" 2>&1; then
  cat "$work/run.log" >&2
  fail "/usr/bin/itap run failed"
fi
# alerts.json holds incidents since its schema version 2; the other artifacts are at version 1.
for artifact in validation_report.json:1 metrics.json:1 explanations_top.json:1 alerts.json:2 aggregate_summaries.json:1; do
  name=${artifact%%:*}
  version=${artifact##*:}
  [ -s "$work/run/$name" ] || fail "itap run wrote no $work/run/$name"
  jq -e ".schema_version == $version" "$work/run/$name" >/dev/null ||
    fail "$name: not JSON or not schema_version $version"
done
jq -e '.kpis.annunciated >= 0 and (.alerts | type == "array")' "$work/run/alerts.json" >/dev/null ||
  fail "alerts.json: no alarm KPIs or no incident list"
jq -e '.fleet.devices == 4' "$work/run/aggregate_summaries.json" >/dev/null ||
  fail "aggregate_summaries.json: fleet.devices is not 4"

# 6. The console, offscreen: a screenshot of every view.
step "itap-console --screenshots (offscreen)"
if ! /usr/bin/itap-console --simulate --devices 4 --hours 6 --screenshots "$work/shots" \
  >"$work/console.log" 2>&1; then
  cat "$work/console.log" >&2
  fail "/usr/bin/itap-console --screenshots failed"
fi
claimed=$(sed -n 's/^itap-console: \([0-9][0-9]*\) screenshots written to .*/\1/p' "$work/console.log")
shots=("$work"/shots/*.png)
[ -f "${shots[0]}" ] || fail "itap-console wrote no PNG to $work/shots"
[ "${claimed:-0}" -eq ${#shots[@]} ] || fail "itap-console reported '${claimed:-nothing}' screenshots, $work/shots holds ${#shots[@]}"
[ -f "$work/shots/main_window.png" ] || fail "no main_window.png among the screenshots"
for shot in "${shots[@]}"; do
  info=$(file -b "$shot")
  grep -q '^PNG image data' <<<"$info" || fail "$shot: not a PNG ($info)"
  # A view that drew nothing is one flat colour and compresses to a few KiB.
  [ "$(stat -c %s "$shot")" -gt 8192 ] || fail "$shot: only $(stat -c %s "$shot") bytes; the view looks empty"
done
step "${#shots[@]} screenshots"

# 7. The man pages render, from their path and through man's index.
for page in itap itap-console; do
  path=/usr/share/man/man1/$page.1.gz
  [ -f "$path" ] || fail "$path: not installed"
  MANWIDTH=80 man --warnings -l "$path" >"$work/$page.txt" 2>"$work/$page.warn" || fail "man -l $path failed"
  [ ! -s "$work/$page.warn" ] || {
    cat "$work/$page.warn" >&2
    fail "man -l $path printed warnings"
  }
  if ! grep -q "^NAME" "$work/$page.txt" || ! grep -q "^SYNOPSIS" "$work/$page.txt"; then
    fail "man -l $path: no NAME or SYNOPSIS section"
  fi
  [ "$(man -w "$page")" = "$path" ] || fail "man -w $page found '$(man -w "$page" 2>&1)', not $path"
done

step "PASS in $(($(date +%s) - started)) s"
