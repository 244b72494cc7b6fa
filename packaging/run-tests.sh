#!/usr/bin/env bash
# Runs ITAP's tests stage by stage; with no option this is the README's test command after
# `install-deps.sh --test` and exactly what CI runs (.ci/run). Stops at the first failing stage and prints how long
# each stage took.
#
#   packaging/run-tests.sh                every stage below (about an hour on 2 cores)
#   packaging/run-tests.sh --quick        stage ctest only
#   packaging/run-tests.sh STAGE...       the named stages, in the order below
#
# Stages:
#   ctest    configure (preset test: the default build plus every test suite and benchmark, build/test), build
#            (-Werror) and run every CTest suite: unit, GUI offscreen, CLI, crash safety (SIGKILL during
#            ingest/score/train), resource faults, hostile input, PostgreSQL
#   fuzz     build the libFuzzer targets (clang, ASan+UBSan) and run each for ITAP_FUZZ_SECONDS (default 60)
#   install  build the Debian packages itap and itap-console of build/test with CPack, check them (lintian,
#            hardening-check), install them, run itap and itap-console from /usr/bin, remove them
#   tsan     the suites that run threads (CTest label "threads": engine pools, console workers, live mode)
#            built with ThreadSanitizer, halting on the first report (build/tsan)
#   asan     the whole CTest suite built with AddressSanitizer + UndefinedBehaviorSanitizer (build/asan)
set -euo pipefail
cd "$(dirname "$0")/.."

all_stages=(ctest fuzz install tsan asan)
selected=()
for arg in "$@"; do
  case "$arg" in
    --quick) selected+=(ctest) ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    ctest|fuzz|install|tsan|asan) selected+=("$arg") ;;
    *) echo "run-tests.sh: unknown option or stage '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${all_stages[@]}")
wanted() { [[ " ${selected[*]} " == *" $1 "* ]]; }

summary=()
stage() {
  local name="$1"; shift
  echo
  echo "=== run-tests: stage $name: $*"
  local start=$SECONDS
  if ! "$@"; then
    summary+=("$(printf '%-8s FAILED after %d s' "$name" $((SECONDS - start)))")
    printf '%s\n' "=== run-tests: summary" "${summary[@]}"
    exit 1
  fi
  summary+=("$(printf '%-8s passed in %d s' "$name" $((SECONDS - start)))")
}

wanted ctest && stage ctest cmake --workflow --preset test
wanted fuzz && stage fuzz tests/fuzz/run-fuzzers.sh "${ITAP_FUZZ_SECONDS:-60}" "$PWD/build/fuzz"
# The packages are built from the tested build: the default build's flags (hardened), with the tests beside.
wanted install && stage install packaging/install-test.sh build/test
wanted tsan && stage tsan cmake --workflow --preset tsan
wanted asan && stage asan cmake --workflow --preset asan
if [ ${#selected[@]} -eq ${#all_stages[@]} ]; then
  printf '%s\n' "" "=== run-tests: summary (all passed)" "${summary[@]}"
else
  printf '%s\n' "" "=== run-tests: summary (stages ${selected[*]} passed)" "${summary[@]}"
fi
