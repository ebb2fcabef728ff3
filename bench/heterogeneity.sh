#!/usr/bin/env bash
# Simulated heterogeneity on one machine: `gilguard check` (A/A: the same interpreters as the
# baseline's runs) quiet, under a cgroup CPU limit of 1.5 of 2 CPUs, beside a process spinning on
# one CPU at 30% and at 60% duty, and beside a neighbour streaming through memory. Each case must
# end in pass, or inconclusive naming the interference; never a regression. Prints one line per
# case (exit, verdict, set-aside samples, the gating metric) and keeps the files in OUT.
# Run it on an otherwise quiet machine, as root (the cgroup case needs a writable cpu controller).
#
#   bench/heterogeneity.sh GILGUARD GIL_PY FT_PY BASELINES_DIR OUT [CASE...]
#   cases: quiet quota-1.5 spin-30 spin-60 stream (default: all)
# CHECK_ARGS adds options to every `gilguard check`, e.g. an A/B A/A check:
#   CHECK_ARGS="--base-gil GIL_PY --base-ft FT_PY --time-budget 60" bench/heterogeneity.sh ...
set -euo pipefail
gilguard=$(realpath "$1") gil=$2 ft=$3 baselines=$(realpath "$4") out=$5
shift 5
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(quiet quota-1.5 spin-30 spin-60 stream)
mkdir -p "$out"
out=$(realpath "$out")
export GILGUARD_PYTHON_GIL=$gil GILGUARD_PYTHON_FT=$ft

neighbour=
stop_neighbour() {
  if [ -n "$neighbour" ]; then kill "$neighbour" 2>/dev/null || true; wait "$neighbour" 2>/dev/null || true; fi
  neighbour=
}
trap stop_neighbour EXIT

# A process on CPU 0 that is busy for DUTY% of every 100 ms and sleeps the rest.
spin() {
  taskset -c 0 python3 -c '
import sys, time
duty = float(sys.argv[1]) / 100
while True:
    start = time.perf_counter()
    while time.perf_counter() - start < 0.1 * duty:
        pass
    time.sleep(0.1 * (1 - duty))
' "$1" &
  neighbour=$!
}

# A process copying a 256 MiB buffer over and over: memory bandwidth and one CPU.
stream() {
  python3 -c '
src = bytearray(256 << 20)
while True:
    dst = bytes(src)
' &
  neighbour=$!
}

# Runs the rest of the command line inside a fresh cgroup limited to 1.5 CPUs (v1 cpu controller,
# else v2 with the cpu controller enabled).
in_quota() {
  local group
  if [ -d /sys/fs/cgroup/cpu ] && [ -w /sys/fs/cgroup/cpu ]; then
    group=/sys/fs/cgroup/cpu/gilguard-bench-$$
    mkdir -p "$group"
    echo 100000 > "$group/cpu.cfs_period_us"
    echo 150000 > "$group/cpu.cfs_quota_us"
  elif grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    group=/sys/fs/cgroup/gilguard-bench-$$
    mkdir -p "$group"
    echo "150000 100000" > "$group/cpu.max"
  else
    echo "no writable cgroup cpu controller here" >&2
    return 2
  fi
  local rc=0
  sh -c 'echo $$ > "$1/cgroup.procs" 2>/dev/null || echo $$ > "$1/tasks"; shift; exec "$@"' \
    sh "$group" "$@" || rc=$?
  rmdir "$group" 2>/dev/null || true
  return $rc
}

for case in "${cases[@]}"; do
  prefix=()
  case $case in
    quiet) ;;
    quota-1.5) prefix=(in_quota) ;;
    spin-30) spin 30 ;;
    spin-60) spin 60 ;;
    stream) stream ;;
    *) echo "unknown case $case" >&2; exit 2 ;;
  esac
  start=$(date +%s.%N)
  rc=0
  read -r -a extra <<< "${CHECK_ARGS:-}"
  "${prefix[@]}" "$gilguard" check --baselines "$baselines" --results "$out/$case-results.json" \
    --comparison "$out/$case-comparison.json" "${extra[@]}" > "$out/$case.txt" \
    2> "$out/$case.err" || rc=$?
  end=$(date +%s.%N)
  stop_neighbour
  python3 - "$case" "$rc" "$start" "$end" "$out" <<'PY'
import json, sys
case, rc, start, end, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
results = json.load(open(f"{out}/{case}-results.json"))
comparison = json.load(open(f"{out}/{case}-comparison.json"))
rounds = max(s["round"] for s in results["samples"])
verdict = "failed check" if comparison.get("failed_checks") else comparison["overall"]
seen = comparison.get("interference") or {}
gating = [m for m in comparison["metrics"] if m["gating"]]
shown = "; ".join(f'{m["metric"]} {m["current"]["value"]:.3f} ({m["verdict"]})' for m in gating)
raw = [m for m in comparison["metrics"] if m["metric"].startswith("ft-speedup")]
shown += "; " + "; ".join(f'{m["metric"]} {m["current"]["value"]:.3f} ({m["verdict"]}, info)' for m in raw)
print(f"{case}: exit {rc}, verdict {verdict}, {rounds} rounds, {end - start:.0f} s, "
      f"set aside {seen.get('set_aside', 0)}/{seen.get('samples', 0)} "
      f"({seen.get('dominant') or 'nothing'}, worst {100 * seen.get('worst', 0):.0f}%); {shown}")
PY
done
