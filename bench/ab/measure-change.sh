#!/usr/bin/env bash
# The A/B check against a real CPython change (bench/ab/README.md): for each strength N of the
# contention patch, the head is the patched build with GILGUARD_CONTENTION_EVERY=N and the base
# the same build with it unset (the wrappers bench/ab/make-builds.sh writes). First the change's
# true effect, from a long `gilguard run` of ROUNDS A/B rounds (`gilguard compare` of it), then
# one `gilguard check` at its A/B defaults, as a pull request would run it. Writes
# bench/data/ab/<machine>/change-N.{json,txt} and change-N-check.txt; prints one line per N.
# Run it on an otherwise quiet machine.
#
#   bench/ab/measure-change.sh GILGUARD MACHINE "N..." [ROUNDS (300)] [WRAPPERS (~/.cache/gilguard/ab)]
set -euo pipefail
gilguard=$(realpath "$1") machine=$2 strengths=$3 rounds=${4:-300}
wrappers=${5:-$HOME/.cache/gilguard/ab}
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$repo/bench/data/ab/$machine
mkdir -p "$out"
base=(--base-gil "$wrappers/head-gil-0" --base-ft "$wrappers/head-ft-0" --base-label "patch-off")
for n in $strengths; do
  head=(--gil "$wrappers/head-gil-$n" --ft "$wrappers/head-ft-$n")
  "$gilguard" run "${head[@]}" "${base[@]}" --threads 1,2 --range 30000 --rounds "$rounds" \
    --seed "90$n" --output "$out/change-$n.json" > "$out/change-$n.txt" 2> /dev/null || true
  "$gilguard" compare "$out/change-$n.json" --output "$out/change-$n-comparison.json" > /dev/null || true
  start=$(date +%s)
  rc=0
  "$gilguard" check "${head[@]}" "${base[@]}" --results "$out/change-$n-check-results.json" \
    --comparison "$out/change-$n-check-comparison.json" > "$out/change-$n-check.txt" 2>&1 || rc=$?
  took=$(( $(date +%s) - start ))
  python3 - "$n" "$out" "$rc" "$took" <<'PY'
import json, sys
n, out, rc, took = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
def ft(path):
    c = json.load(open(path))
    m = next(m for m in c["metrics"] if m["metric"] == "ft-speedup-2")
    return c["overall"], m["change"], m.get("change_low"), m.get("change_high"), m["current"]["rounds"]
long_verdict, change, low, high, rounds = ft(f"{out}/change-{n}-comparison.json")
check_verdict, c_change, c_low, c_high, c_rounds = ft(f"{out}/change-{n}-check-comparison.json")
print(f"N={n}: true effect {change*100:+.1f}% [{low*100:+.1f}%, {high*100:+.1f}%] over {rounds} rounds"
      f" ({long_verdict}); check at defaults: exit {rc}, {check_verdict}, {c_change*100:+.1f}%"
      f" [{c_low*100:+.1f}%, {c_high*100:+.1f}%], {c_rounds} rounds, {took} s")
PY
done
