#!/usr/bin/env bash
# Records this machine for the cross-machine evaluation: N `gilguard run`s at check's defaults
# (range 200,000, threads 1 and 2, 60 measured rounds each), one after the other, into
# bench/data/machines/NAME/ (r-NN.json and the terminal report r-NN.txt), plus facts.txt: the
# machine's facts as gilguard sees them, the load before each run and the steal time during it.
# Run it on an otherwise quiet machine; compile nothing beside it.
#
#   bench/record_machine.sh GILGUARD GIL_PY FT_PY NAME [RUNS (5)] [FIRST (1)] [ROUNDS (60)]
set -euo pipefail
gilguard=$(realpath "$1") gil=$2 ft=$3 name=$4 runs=${5:-5} first=${6:-1} rounds=${7:-60}
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/bench/data/machines/$name
mkdir -p "$out"
{
  echo "# $(date -u +%FT%TZ) $(uname -r)"
  "$gilguard" probe "$gil" 2>&1 >/dev/null | sed 's/^gilguard: //'
  grep -m1 -E "^(flags)" /proc/cpuinfo | tr ' ' '\n' | grep -cE "^(avx2|avx512f)$" |
    sed 's/^/avx2+avx512f flags: /'
} >> "$out/facts.txt"
for ((i = first; i < first + runs; i++)); do
  n=$(printf '%02d' "$i")
  steal_before=$(awk '/^cpu /{print $9}' /proc/stat)
  echo "r-$n: $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/facts.txt"
  "$gilguard" run --gil "$gil" --ft "$ft" --range 200000 --threads 1,2 --rounds "$rounds" \
    --seed "70$n" --output "$out/r-$n.json" > "$out/r-$n.txt"
  steal_after=$(awk '/^cpu /{print $9}' /proc/stat)
  echo "r-$n: steal $((steal_after - steal_before)) ticks, load after $(cut -d' ' -f1-3 /proc/loadavg)" \
    >> "$out/facts.txt"
done
