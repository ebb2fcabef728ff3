#!/usr/bin/env bash
# Where the lost time went (issue 23), validated on known causes: N `gilguard run`s per cause,
# and per cause how many attributed the largest part of the free-threaded threads' loss against
# the processes (ft, 2 threads: the results' summary `loss_split`) to the right part.
#
#   cause          what it is                                              must read as
#   contention     bench/ab's CPython patch: an atomic counter in integer  cpu (more CPU per item)
#                  modulo on every call (head-*-1), on primes
#   lock           tests/data/attribution/lock_held.py: each call holds    waiting (off the CPU)
#                  one threading.Lock for 4/5 of its steps
#   shared-reads   builtin:shared-reads: reference counts of shared        cpu
#                  objects contended
#   neighbour      tests/data/attribution/neighbour.py: a process outside  machine
#                  the child spinning on the last usable CPU while a
#                  free-threaded child has threads (the threaded regions)
#
# Nothing else may run beside it (it takes about 15 minutes with N=10 on 2 CPUs).
#
#   bench/attribution.sh GILGUARD GIL_PY FT_PY CONTENTION_GIL CONTENTION_FT OUT [N (10)]
#
# e.g. bench/attribution.sh build/default/gilguard \
#   ~/.cache/gilguard/cpython/gil-f5ba92796573c0bb/install/bin/python3.14 \
#   ~/.cache/gilguard/cpython/ft-69270f0013579498/install/bin/python3.14t \
#   ~/.cache/gilguard/ab/head-gil-1 ~/.cache/gilguard/ab/head-ft-1 /tmp/attribution
#
# OUT/CAUSE/run-I.json are the results; OUT/summary.txt the table (also printed).
set -euo pipefail

[ $# -ge 6 ] || {
  sed -n '/^#   bench\/attribution.sh GILGUARD/p' "$0" | sed 's/^#//' >&2
  exit 2
}
gilguard=$(realpath "$1") gil=$2 ft=$3 cgil=$4 cft=$5 n=${7:-10}
mkdir -p "$6"
out=$(realpath "$6")
here=$(cd "$(dirname "$0")/.." && pwd)
data=$here/tests/data/attribution
cp "$data/lock_held.py" "$out/lock_held.py"

# The largest part of the ft 2-thread split in a results file, and the parts.
largest() {
  python3 - "$1" <<'PY'
import json, sys
for s in json.load(open(sys.argv[1]))["summaries"]:
    if s["flavor"] == "ft" and s["threads"] == 2 and s.get("side", "head") == "head":
        split = s.get("loss_split")
        if split is None:
            print("none - - -")
        else:
            parts = {k: split[k] for k in ("cpu", "waiting", "machine")}
            print(max(parts, key=parts.get), "%.3f %.3f %.3f" % (parts["cpu"], parts["waiting"],
                                                                 parts["machine"]))
PY
}

# run CAUSE I GIL FT WORKLOAD RANGE
run() {
  local dir=$out/$1
  mkdir -p "$dir"
  (cd "$out" && "$gilguard" run --gil "$3" --ft "$4" --workload "$5" --range "$6" \
    --threads 1,2 --rounds 6 --output "$dir/run-$2.json" >"$dir/run-$2.log" 2>&1) ||
    echo "failed: see $dir/run-$2.log" >&2
}

declare -A want=([contention]=cpu [lock]=waiting [shared-reads]=cpu [neighbour]=machine)
cpus=$(python3 -c 'import os; print(max(os.sched_getaffinity(0)))')
for i in $(seq 1 "$n"); do
  run contention "$i" "$cgil" "$cft" primes 30000
  run lock "$i" "$gil" "$ft" lock_held.py 600
  run shared-reads "$i" "$gil" "$ft" builtin:shared-reads 32768
  python3 "$data/neighbour.py" "$ft" "$cpus" >/dev/null &
  spinner=$!
  sleep 0.5
  run neighbour "$i" "$gil" "$ft" primes 200000
  kill "$spinner"
  wait "$spinner" 2>/dev/null || true
done

{
  echo "cause         right  of  must read as  parts of each run (cpu waiting machine, log)"
  for cause in contention lock shared-reads neighbour; do
    right=0 total=0 parts=""
    for f in "$out/$cause"/run-*.json; do
      [ -e "$f" ] || continue
      read -r part c w m < <(largest "$f")
      total=$((total + 1))
      [ "$part" = "${want[$cause]}" ] && right=$((right + 1))
      parts+=" $c/$w/$m"
    done
    printf '%-13s %5d  %2d  %-12s %s\n' "$cause" "$right" "$total" "${want[$cause]}" "$parts"
  done
} | tee "$out/summary.txt"
