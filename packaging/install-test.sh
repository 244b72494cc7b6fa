#!/usr/bin/env bash
# packaging/install-test.sh BUILD_DIR
#
# Builds the Debian packages of a configured build directory with cpack — itap (the headless CLI) and
# itap-console — and checks what they contain, their Depends (itap's must not reach Qt Gui, Widgets, Charts or
# X11), their hardening and lintian's verdict (any error fails). Then installs itap alone with apt-get (so its
# Depends must resolve on this machine) and runs it from /usr/bin, installs itap-console beside it and runs it,
# and removes both again together with any package their installation pulled in. Exits non-zero with a
# message on the first failure. Uses sudo when not run as root. Needs jq, desktop-file-utils, appstream,
# man-db, file, lintian and devscripts (`packaging/install-deps.sh --test` installs them). Takes about 2 min
# after the build is up to date.
#
# Environment: ITAP_INSTALL_TEST_KEEP=1 leaves the packages installed (for looking around afterwards).
set -euo pipefail

readonly app_id=io.github.itap.Console
readonly packages=(itap itap-console)

fail() {
  echo "install-test: FAIL: $*" >&2
  exit 1
}
step() { echo "install-test: $*" >&2; }

[ $# -eq 1 ] || {
  echo "usage: $0 BUILD_DIR   (a configured ITAP build directory, e.g. build/default or build/test)" >&2
  exit 2
}
build_dir=$(cd "$1" 2>/dev/null && pwd) || fail "$1: no such directory"
[ -f "$build_dir/CPackConfig.cmake" ] || fail "$build_dir: no CPackConfig.cmake; configure the build first (cmake --preset default or test)"
for tool in cmake cpack dpkg-deb dpkg-shlibdeps readelf apt-get apt-cache jq desktop-file-validate appstreamcli man \
  file lintian hardening-check; do
  command -v "$tool" >/dev/null || fail "'$tool' is not installed; run packaging/install-deps.sh --test"
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
for pkg in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    fail "the package $pkg is already installed ($(dpkg-query -W -f='${Version}' "$pkg")); this test installs and removes it, so remove it first: ${SUDO:+$SUDO }apt-get remove ${packages[*]}"
  fi
done

started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/itap-install-test.XXXXXX")
installed=0
new_packages=()
cleanup() {
  local rc=$?
  if [ "$installed" = 1 ] && [ "${ITAP_INSTALL_TEST_KEEP:-0}" != 1 ]; then
    step "removing ${packages[*]}${new_packages[*]:+ and what their installation pulled in: ${new_packages[*]}}"
    # Only the packages this installation added (from apt-get's own lists), so that nothing else installed on
    # the machine in the meantime is touched.
    if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 \
      "${packages[@]}" "${new_packages[@]}" >"$work/remove.log" 2>&1; then
      cat "$work/remove.log" >&2
      echo "install-test: FAIL: could not remove the packages again" >&2
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

# 1. The packages.
# Build first: cpack reads CPackConfig.cmake before its own pre-install build could regenerate it.
step "building $build_dir"
if ! cmake --build "$build_dir" >"$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log" >&2
  fail "cmake --build $build_dir failed (log above)"
fi
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build_dir/CPackConfig.cmake")
[ -n "$version" ] || fail "$build_dir/CPackConfig.cmake: no CPACK_PACKAGE_VERSION"
step "building the packages with cpack"
rm -f "$build_dir"/packages/*.deb
if ! (cd "$build_dir" && cpack -G DEB -B "$build_dir/packages") >"$work/cpack.log" 2>&1; then
  tail -n 40 "$work/cpack.log" >&2
  fail "cpack failed (log above)"
fi
declare -A deb
for pkg in "${packages[@]}"; do
  found=("$build_dir"/packages/"$pkg"_"$version"_*.deb)
  [ -f "${found[0]}" ] || fail "cpack wrote no $build_dir/packages/${pkg}_${version}_*.deb"
  [ ${#found[@]} -eq 1 ] || fail "more than one package $pkg: ${found[*]}"
  deb[$pkg]=${found[0]}
  [ "$(dpkg-deb -f "${deb[$pkg]}" Package)" = "$pkg" ] || fail "${deb[$pkg]}: package name is '$(dpkg-deb -f "${deb[$pkg]}" Package)'"
  [ "$(dpkg-deb -f "${deb[$pkg]}" Version)" = "$version" ] ||
    fail "${deb[$pkg]}: version '$(dpkg-deb -f "${deb[$pkg]}" Version)' is not $version"
  step "package: ${deb[$pkg]} ($(du -k "${deb[$pkg]}" | cut -f1) KiB, installed size $(dpkg-deb -f "${deb[$pkg]}" Installed-Size) KiB)"
done
others=$(find "$build_dir/packages" -maxdepth 1 -name '*.deb' | grep -vxF -e "${deb[itap]}" -e "${deb[itap-console]}" || true)
[ -z "$others" ] || fail "cpack wrote packages beyond ${packages[*]}: $others"

# The commit the build recorded, which `itap --version` must show; it must be the source tree's HEAD.
header="$build_dir/app/generated/itap_version.h"
[ -f "$header" ] || fail "$header: missing (the itap target was not built)"
commit=$(sed -n 's/^#define ITAP_GIT_COMMIT "\(.*\)"$/\1/p' "$header")
source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build_dir/CMakeCache.txt")
if head=$(git -C "$source_dir" rev-parse --short=12 HEAD 2>/dev/null); then
  [ "${commit%-dirty}" = "$head" ] || fail "$header records commit '$commit', the source tree is at $head"
fi

# 2. Depends. itap is the headless CLI: nothing it depends on, directly or through the archive's dependency
# closure, may be Qt Gui, Widgets, Charts, OpenGL or X11. itap-console depends on this very version of itap.
has_dep() { grep -qE "(^|, )$2( |,|$)" <<<"$1"; }
cli_depends=$(dpkg-deb -f "${deb[itap]}" Depends)
console_depends=$(dpkg-deb -f "${deb[itap-console]}" Depends)
for dep in libqt6core6 libqt6sql6 libqt6sql6-sqlite libc6; do
  has_dep "$cli_depends" "$dep" || fail "itap: Depends lacks $dep: $cli_depends"
done
readonly gui_libs='libqt6(gui|widgets|charts|opengl|openglwidgets|xcbqpa)6|libx11-6|libxcb1|libgl1|libegl1'
if grep -qE "(^|, )($gui_libs)( |,|$)" <<<"$cli_depends"; then
  fail "itap depends on a GUI library: $cli_depends"
fi
for dep in "itap (= $version)" libqt6widgets6 libqt6charts6 libqt6gui6; do
  grep -qF "$dep" <<<"$console_depends" || fail "itap-console: Depends lacks $dep: $console_depends"
done
mapfile -t direct < <(sed 's/([^)]*)//g; s/|/,/g' <<<"$cli_depends" | tr ',' '\n' | tr -d ' ' | sed '/^$/d')
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
  --no-enhances "${direct[@]}" 2>/dev/null | sed -n 's/^\([^ <][^ ]*\)$/\1/p' | sed 's/:.*$//' | sort -u >"$work/closure"
[ -s "$work/closure" ] || fail "apt-cache depends found nothing for itap's Depends: ${direct[*]}"
if grep -xE "$gui_libs" "$work/closure" >"$work/closure.gui"; then
  fail "itap's Depends pull in GUI libraries through the archive: $(tr '\n' ' ' <"$work/closure.gui")"
fi
step "itap Depends: $cli_depends ($(wc -l <"$work/closure") packages in its closure, no GUI library)"
step "itap-console Depends: $console_depends"

# 3. What the packages hold: each file in exactly one of them.
for pkg in "${packages[@]}"; do
  dpkg-deb -c "${deb[$pkg]}" | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./|/|' >"$work/$pkg.contents"
done
cli_expected=(
  /usr/bin/itap /usr/share/man/man1/itap.1.gz
  /usr/share/itap/sensor_catalog.json /usr/share/itap/simulation_profile.json /usr/share/itap/alert_rules.json
  /usr/share/doc/itap/copyright /usr/share/doc/itap/changelog.gz
)
console_expected=(
  /usr/bin/itap-console /usr/share/man/man1/itap-console.1.gz
  "/usr/share/applications/$app_id.desktop"
  "/usr/share/metainfo/$app_id.metainfo.xml"
  "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
  /usr/share/doc/itap-console/copyright /usr/share/doc/itap-console/changelog.gz
)
for size in 16 32 48 64 128 256; do
  console_expected+=("/usr/share/icons/hicolor/${size}x$size/apps/$app_id.png")
done
for path in "${cli_expected[@]}"; do
  grep -qxF "$path" "$work/itap.contents" || fail "the package itap lacks $path"
done
for path in "${console_expected[@]}"; do
  grep -qxF "$path" "$work/itap-console.contents" || fail "the package itap-console lacks $path"
done
shared=$(sort "$work/itap.contents" "$work/itap-console.contents" | uniq -d)
[ -z "$shared" ] || fail "files in both packages: $shared"
step "the packages hold all ${#cli_expected[@]} + ${#console_expected[@]} expected files"

# The desktop entry, the metadata, the icons and the licence as shipped.
for pkg in "${packages[@]}"; do
  dpkg-deb -x "${deb[$pkg]}" "$work/root"
done
desktop-file-validate "$work/root/usr/share/applications/$app_id.desktop" ||
  fail "$app_id.desktop does not validate (desktop-file-validate above)"
appstreamcli validate --no-net --pedantic "$work/root/usr/share/metainfo/$app_id.metainfo.xml" >"$work/appstream.log" 2>&1 || {
  cat "$work/appstream.log" >&2
  fail "$app_id.metainfo.xml does not validate"
}
grep -qx "  <project_license>MIT</project_license>" "$work/root/usr/share/metainfo/$app_id.metainfo.xml" ||
  fail "$app_id.metainfo.xml names no project_license MIT"
for size in 16 32 48 64 128 256; do
  png="$work/root/usr/share/icons/hicolor/${size}x$size/apps/$app_id.png"
  file -b "$png" | grep -q "^PNG image data, $size x $size," || fail "$png: not a ${size}x$size PNG ($(file -b "$png"))"
done
for pkg in "${packages[@]}"; do
  copyright="$work/root/usr/share/doc/$pkg/copyright"
  head -n 1 "$copyright" | grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' ||
    fail "$copyright: not in the machine-readable (DEP-5) format"
  grep -qx 'License: Expat' "$copyright" || fail "$copyright: no 'License: Expat' paragraph"
done
# No RPATH: the packages install beside system libraries only (and one into the build tree would make the
# installed binaries work here and nowhere else). Hardened as dpkg-buildflags' hardening=+all asks: PIE, stack
# protector, fortify, RELRO, BIND_NOW (control-flow protection is not among Debian 12's flags).
for bin in itap itap-console; do
  ! readelf -d "$work/root/usr/bin/$bin" | grep -qE 'R(UN)?PATH' ||
    fail "/usr/bin/$bin carries an RPATH: $(readelf -d "$work/root/usr/bin/$bin" | grep -E 'R(UN)?PATH')"
  hardening-check --nocfprotection "$work/root/usr/bin/$bin" >"$work/hardening.log" 2>&1 || {
    cat "$work/hardening.log" >&2
    fail "/usr/bin/$bin is not hardened (hardening-check above)"
  }
done
# itap links no GUI library itself either (dpkg-shlibdeps reads these NEEDED entries).
if readelf -d "$work/root/usr/bin/itap" | grep NEEDED | grep -qE 'libQt6(Gui|Widgets|Charts|OpenGL)|libX11|libxcb|libGL'; then
  fail "/usr/bin/itap links a GUI library: $(readelf -d "$work/root/usr/bin/itap" | grep NEEDED | tr -s ' ')"
fi
for json in "$work"/root/usr/share/itap/*.json; do
  jq empty "$json" || fail "$json: not valid JSON"
done
step "desktop entry, AppStream metadata, icons, copyright files valid; binaries hardened, no RPATH"

# Lintian: no error on either package; its warnings are listed.
step "lintian ${packages[*]}"
lintian_rc=0
lintian --fail-on error --display-info "${deb[itap]}" "${deb[itap-console]}" >"$work/lintian.log" 2>&1 || lintian_rc=$?
sed 's/^/  /' "$work/lintian.log" >&2
[ "$lintian_rc" -eq 0 ] || fail "lintian reports errors (above)"

# 4. Install itap alone: apt-get resolves its Depends from the configured archives.
# apt-get lists what it adds under "The following NEW packages will be installed:"; remember all but ours.
new_from_log() {
  awk '/^The following NEW packages will be installed:/ {on = 1; next}
       on && /^  / {for (i = 1; i <= NF; i++) print $i; next}
       {on = 0}' "$1" | sed 's/:.*$//' | grep -vxE 'itap|itap-console' || true
}
install_deb() {
  local pkg=$1
  step "installing $pkg with apt-get"
  if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 "${deb[$pkg]}" \
    >"$work/install-$pkg.log" 2>&1; then
    cat "$work/install-$pkg.log" >&2
    fail "apt-get install ${deb[$pkg]} failed"
  fi
  installed=1
  mapfile -t -O "${#new_packages[@]}" new_packages < <(new_from_log "$work/install-$pkg.log")
  dpkg-query -W -f='${Status}' "$pkg" | grep -q 'install ok installed' || fail "dpkg does not list $pkg as installed"
}
install_deb itap
if dpkg-query -W -f='${Status}' itap-console 2>/dev/null | grep -q 'install ok installed'; then
  fail "installing itap installed itap-console too"
fi
[ "$(command -v itap)" = /usr/bin/itap ] || fail "itap on PATH is '$(command -v itap)', not /usr/bin/itap"

# Every run below uses a throw-away home: nothing of the operator's (settings, app data) is read or left behind.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
export XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# A DISPLAY without a reachable X server (common on CI) must not decide the outcome.
export QT_QPA_PLATFORM=offscreen
cd "$work"

# 5. itap alone (no itap-console installed): --version shows the version of the project and the commit of the
# build; --help, generate and a run on a small fleet work.
got=$(/usr/bin/itap --version) || fail "/usr/bin/itap --version failed"
[ "$got" = "itap $version (git $commit)" ] || fail "/usr/bin/itap --version printed '$got', expected 'itap $version (git $commit)'"
step "installed itap reports $version, commit $commit"
/usr/bin/itap --help >"$work/help.txt" 2>&1 || fail "/usr/bin/itap --help failed: $(cat "$work/help.txt")"
grep -q generate "$work/help.txt" || fail "/usr/bin/itap --help names no generate command"
step "itap generate --devices 2 --hours 1"
/usr/bin/itap generate --devices 2 --hours 1 --seed 3 --out "$work/gen.csv" >"$work/gen.log" 2>&1 || {
  cat "$work/gen.log" >&2
  fail "/usr/bin/itap generate failed"
}
[ "$(wc -l <"$work/gen.csv")" -gt 2 ] || fail "itap generate wrote no rows to $work/gen.csv"
step "itap run --devices 4 --hours 12"
if ! /usr/bin/itap run --devices 4 --hours 12 --seed 7 --out "$work/run" >"$work/run.log" 2>&1; then
  cat "$work/run.log" >&2
  fail "/usr/bin/itap run failed"
fi
# alerts.json holds incidents since its schema version 2; the other artifacts are at version 1.
for artifact in validation_report.json:1 metrics.json:1 explanations_top.json:1 alerts.json:2 aggregate_summaries.json:1; do
  name=${artifact%%:*}
  schema=${artifact##*:}
  [ -s "$work/run/$name" ] || fail "itap run wrote no $work/run/$name"
  jq -e ".schema_version == $schema" "$work/run/$name" >/dev/null ||
    fail "$name: not JSON or not schema_version $schema"
done
jq -e '.kpis.annunciated >= 0 and (.alerts | type == "array")' "$work/run/alerts.json" >/dev/null ||
  fail "alerts.json: no alarm KPIs or no incident list"
jq -e '.fleet.devices == 4' "$work/run/aggregate_summaries.json" >/dev/null ||
  fail "aggregate_summaries.json: fleet.devices is not 4"

# The man pages render, from their path and through man's index.
check_man() {
  local page=$1 path=/usr/share/man/man1/$1.1.gz
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
}
check_man itap

# 6. itap-console beside it: its version, a screenshot of every view (offscreen) and its man page.
install_deb itap-console
got=$(/usr/bin/itap-console --version) || fail "/usr/bin/itap-console --version failed"
grep -qF "$version (git $commit)" <<<"$got" || fail "/usr/bin/itap-console --version printed '$got'"
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

check_man itap-console

step "PASS in $(($(date +%s) - started)) s"
