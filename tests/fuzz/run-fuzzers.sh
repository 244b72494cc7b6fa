#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for a bounded time on a copy of its seed
# corpus. Prints the executions per target and in total; exits non-zero when any target crashes, leaks,
# times out or runs out of memory, naming the reproducer file (run `<target> <file>` to replay it).
#
#   tests/fuzz/run-fuzzers.sh [SECONDS_PER_TARGET=60] [BUILD_DIR=<repo>/build-fuzz]
#
# Environment: ITAP_FUZZ_TARGETS="csv_reader_fuzz import_fuzz" runs a subset; ITAP_FUZZ_JOBS (default 2)
# is the build's parallelism; ITAP_FUZZ_CXX picks the compiler (default clang++, else clang++-14). Nothing is written into the source tree: corpora are copied to
# BUILD_DIR/fuzz-run/<target>/corpus, reproducers land in BUILD_DIR/fuzz-run/<target>/artifacts.
set -euo pipefail

seconds="${1:-60}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="${2:-$repo/build-fuzz}"
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "run-fuzzers: SECONDS_PER_TARGET must be a positive integer, got '$seconds'" >&2
  exit 2
fi

all_targets=(csv_reader_fuzz import_fuzz alert_rules_fuzz model_file_fuzz json_config_fuzz)
read -r -a targets <<< "${ITAP_FUZZ_TARGETS:-${all_targets[*]}}"
# Longest input per target: a few times the largest seed, small enough for many executions per second.
declare -A max_len=([csv_reader_fuzz]=4096 [import_fuzz]=4096 [alert_rules_fuzz]=4096
                    [model_file_fuzz]=16384 [json_config_fuzz]=8192)

start=$(date +%s)
cxx="${ITAP_FUZZ_CXX:-$(command -v clang++ || command -v clang++-14 || true)}"
[ -n "$cxx" ] || { echo "run-fuzzers: clang++ not found (packaging/install-deps.sh installs clang-14)" >&2; exit 2; }
echo "run-fuzzers: configuring and building $build" >&2
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
  -DITAP_BUILD_UI=OFF -DITAP_BUILD_TESTS=OFF -DITAP_BUILD_FUZZERS=ON >/dev/null
cmake --build "$build" -j "${ITAP_FUZZ_JOBS:-2}" --target "${targets[@]}"
built=$(date +%s)

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
run_root="$build/fuzz-run"
total=0
failed=()
printf '%-18s %12s  %s\n' target executions result
for t in "${targets[@]}"; do
  [ -n "${max_len[$t]:-}" ] || { echo "run-fuzzers: unknown target '$t'" >&2; exit 2; }
  dir="$run_root/$t"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/tmp"
  cp "$here/corpus/$t/"* "$dir/corpus/"
  args=(-max_total_time="$seconds" -print_final_stats=1 -max_len="${max_len[$t]}" -timeout=10
        -rss_limit_mb=2048 -artifact_prefix="$dir/artifacts/")
  [ -f "$here/dicts/$t.dict" ] && args+=(-dict="$here/dicts/$t.dict")
  status=0
  # The targets write their scratch files under TMPDIR: keep them inside the run directory.
  TMPDIR="$dir/tmp" "$build/bin/$t" "${args[@]}" "$dir/corpus" >"$dir/log.txt" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$dir/log.txt" | tail -n 1)
  execs=${execs:-0}
  total=$((total + execs))
  if [ "$status" -eq 0 ]; then
    printf '%-18s %12s  ok\n' "$t" "$execs"
  else
    reproducer=$(ls -t "$dir/artifacts/" 2>/dev/null | head -n 1)
    printf '%-18s %12s  FAILED (exit %s)\n' "$t" "$execs" "$status"
    echo "---- $t: last lines of $dir/log.txt" >&2
    tail -n 40 "$dir/log.txt" >&2
    if [ -n "$reproducer" ]; then
      echo "---- $t: reproducer $dir/artifacts/$reproducer (replay: $build/bin/$t $dir/artifacts/$reproducer)" >&2
    fi
    failed+=("$t")
  fi
done
end=$(date +%s)
printf '%-18s %12s\n' total "$total"
echo "run-fuzzers: ${#targets[@]} targets x ${seconds}s, $total executions; build $((built - start))s, wall $((end - start))s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "run-fuzzers: FAILED: ${failed[*]}" >&2
  exit 1
fi
