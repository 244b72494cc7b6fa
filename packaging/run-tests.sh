#!/usr/bin/env bash
# Runs ITAP's tests stage by stage; with no option this is the README's test command after install-deps.sh and
# exactly what CI runs (.ci/run). Stops at the first failing stage and prints how long each stage took.
#
#   packaging/run-tests.sh                every stage below (about an hour on 2 cores)
#   packaging/run-tests.sh --quick        stage default only
#
# Stages:
#   default  configure, build (-Werror) and run every CTest suite: unit, GUI offscreen, CLI, crash safety
#            (SIGKILL during ingest/score/train), resource faults, hostile input, PostgreSQL
#   fuzz     build the libFuzzer targets (clang, ASan+UBSan) and run each for ITAP_FUZZ_SECONDS (default 60)
#   install  build the Debian package with CPack, install it, run itap and itap-console from /usr/bin, remove it
#   asan     the whole CTest suite built with AddressSanitizer + UndefinedBehaviorSanitizer (build/asan)
#   tsan     the suites that run threads (CTest label "threads": engine pools, console workers, live mode)
#            built with ThreadSanitizer, halting on the first report (build/tsan)
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-tests.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

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

stage default cmake --workflow --preset test
if [ "$quick" = 0 ]; then
  stage fuzz tests/fuzz/run-fuzzers.sh "${ITAP_FUZZ_SECONDS:-60}" "$PWD/build/fuzz"
  stage install packaging/install-test.sh build/default
  stage tsan cmake --workflow --preset tsan
  stage asan cmake --workflow --preset asan
fi
printf '%s\n' "" "=== run-tests: summary (all passed)" "${summary[@]}"
