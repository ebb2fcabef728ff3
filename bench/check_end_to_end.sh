#!/usr/bin/env bash
# End to end at check's defaults: `gilguard check` against a baseline of recorded quiet runs,
# N times with the same interpreters (A/A: each must exit 0, decided), then once with the GIL
# forced on in the free-threaded build (must exit 1). Prints exit, verdict, rounds and wall time
# of each run. Run it on a quiet machine; results go to docs/evaluation.md by hand.
#
#   bench/check_end_to_end.sh GILGUARD GIL_PY FT_PY [A/A runs (6)] [baseline results files...]
#   (default baseline: bench/data/quiet-200k/r-01..05.json)
set -euo pipefail
gilguard=$(realpath "$1") gil=$2 ft=$3 runs=${4:-6}
shift $(($# < 4 ? $# : 4))
repo=$(cd "$(dirname "$0")/.." && pwd)
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$repo"/bench/data/quiet-200k/r-0{1,2,3,4,5}.json)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
for f in "${files[@]}"; do
  "$gilguard" baseline update "$f" --baselines baselines > /dev/null 2> update.err ||
    { cat update.err >&2; exit 2; }
done
export GILGUARD_PYTHON_GIL=$gil GILGUARD_PYTHON_FT=$ft

one_check() {  # label, then extra environment assignments
  local label=$1 start end rc
  shift
  start=$(date +%s.%N)
  rc=0
  env "$@" "$gilguard" check --baselines baselines --results r.json --comparison c.json \
    > out.txt 2> err.txt || rc=$?
  end=$(date +%s.%N)
  python3 - "$label" "$rc" "$start" "$end" <<'PY'
import json, sys
label, rc, start, end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
rounds = max(s["round"] for s in json.load(open("r.json"))["samples"])
comparison = json.load(open("c.json"))
verdict = "failed check" if comparison.get("failed_checks") else comparison.get("overall")
print(f"{label}: exit {rc}, verdict {verdict}, {rounds} measured rounds, {end - start:.1f} s wall, "
      f"load {open('/proc/loadavg').read().split()[0]}")
PY
}

for i in $(seq 1 "$runs"); do one_check "A/A $i"; done
one_check "PYTHON_GIL=1" PYTHON_GIL=1
