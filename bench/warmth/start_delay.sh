#!/usr/bin/env bash
# Issue 19: when each thread starts, and what that does to the 2-thread speedup, on the four
# builds: bench/warmth/warmth.py at range 200,000 in every mode (cold, cold-free, started, warm,
# warm-forked), REPS times, one JSON line per run into OUT. Summarize with start_delay.py.
#
#   bench/warmth/start_delay.sh OUT GIL313 FT313 GIL314 FT314 [REPS (5)]
set -euo pipefail
out=$1 reps=${6:-5}
here=$(cd "$(dirname "$0")" && pwd)
: > "$out"
for ((rep = 1; rep <= reps; rep++)); do
  for py in "$3" "$2" "$5" "$4"; do
    for mode in cold cold-free started warm warm-forked; do
      "$py" -I "$here/warmth.py" 200000 2 "$mode" 1000 >> "$out"
    done
  done
done
