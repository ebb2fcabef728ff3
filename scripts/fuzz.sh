#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan+UBSan, one target per JSON loader:
# results, baseline, comparison, webhook event) and runs each for a bounded time on the seeds
# fuzz/collect-seeds.sh gathers. Fails on a crash, a sanitizer report, a leak, a timeout or a
# round trip that does not hold; the input that did it is left in build/fuzz/artifacts/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]     default 20; CI runs the default
set -euo pipefail
source "$(dirname "$0")/lib.sh"
seconds=${1:-20}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz.sh: SECONDS_PER_TARGET must be a whole number" >&2; exit 2; }

fuzzers=(results baseline comparison event)
log "building the fuzz targets (preset fuzz)"
cmake --preset fuzz -S "$repo_root" >/dev/null
cmake --build --preset fuzz --target "${fuzzers[@]/%/_fuzzer}"

build=$repo_root/build/fuzz
"$repo_root/fuzz/collect-seeds.sh" "$build/seeds"
mkdir -p "$build/artifacts"
failed=()
for name in "${fuzzers[@]}"; do
  # New inputs go to corpus/NAME (kept between local runs); the seeds are only read.
  mkdir -p "$build/corpus/$name"
  log "fuzzing the $name loader for ${seconds} s"
  if ! "$build/fuzz/${name}_fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/$name-" \
    "$build/corpus/$name" "$build/seeds/$name" 2> "$build/$name.log"; then
    tail -n 40 "$build/$name.log" >&2
    failed+=("$name")
  fi
  grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$build/$name.log" >&2 || true
done
if [ ${#failed[@]} -gt 0 ]; then
  log "fuzzing found a failure in: ${failed[*]} (inputs: build/fuzz/artifacts/; logs: build/fuzz/*.log)"
  exit 1
fi
log "fuzzing: no failure in ${#fuzzers[@]} loaders, ${seconds} s each"
