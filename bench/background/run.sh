#!/usr/bin/env bash
# Issue 20, item 2: background work the code under test starts is a regression, on a quiet
# machine and beside an outside neighbour, while the neighbour alone is not. Runs
# bench/heterogeneity.sh's quiet and spin-60 cases (a process outside gilguard's tree busy 60% of
# every 100 ms on CPU 0) with `gilguard check --workload` of a hog thread, a hog process and a
# quiet control (no baseline: background work is judged against its fixed limit).
#
#   bench/background/run.sh GILGUARD GIL_PY FT_PY OUT
set -euo pipefail
gilguard=$1 gil=$2 ft=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
for workload in hog_thread hog_process quiet; do
  CHECK_ARGS="--workload $here/$workload.py --time-budget 90" \
    "$here/../heterogeneity.sh" "$gilguard" "$gil" "$ft" "$empty" "$out/$workload" quiet spin-60
done
