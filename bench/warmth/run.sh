#!/usr/bin/env bash
# Issue 19: cold against warm threads across ranges on the free-threaded builds, with
# thread-local bytecode on and off on 3.14t: threads started inside the timed region (cold),
# started before it without a warm-up (started), and started and warmed up on 1% of their part
# before it (warm), as gilguard's children do since issue 19. Every configuration runs REPS times, interleaved in a
# shuffled order per repetition, each in a fresh process; one JSON line per run goes to OUT.
#
#   bench/warmth/run.sh OUT PY313T PY314T [REPS] [RANGES]
#
# Run it on a quiet machine (nothing else compiling or testing); record `uptime` beside it.
set -euo pipefail
out=$1 py313t=$2 py314t=$3 reps=${4:-5} ranges=${5:-"50000 200000 1000000"}
here=$(cd "$(dirname "$0")" && pwd)
configs=()
for range in $ranges; do
  warm=$((range / 2 / 100))
  for mode in cold started warm; do
    configs+=("$py313t|-X tlbc=1|$range|$mode|$warm")
    configs+=("$py314t|-X tlbc=1|$range|$mode|$warm")
    configs+=("$py314t|-X tlbc=0|$range|$mode|$warm")
  done
done
: >"$out"
for rep in $(seq "$reps"); do
  mapfile -t order < <(printf '%s\n' "${configs[@]}" | shuf)
  for config in "${order[@]}"; do
    IFS='|' read -r py xopt range mode warm <<<"$config"
    # shellcheck disable=SC2086
    "$py" -I $xopt "$here/warmth.py" "$range" 2 "$mode" "$warm" >>"$out"
  done
  echo "repetition $rep of $reps done" >&2
done
