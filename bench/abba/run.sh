#!/usr/bin/env bash
# The per-round spread of the ratio threads/processes before and after issue 20's item 3 (the two
# splits run A B B A in one child, a fresh fork before each process region), on one machine in
# one sitting: `gilguard run`s of the two binaries alternate, PAIRS times each.
#
#   bench/abba/run.sh BEFORE_GILGUARD AFTER_GILGUARD GIL_PY FT_PY OUT [PAIRS (2)] [ROUNDS (20)]
#
# BEFORE is a build of the commit before item 3 (7a8cff0^), AFTER one of it or later. Run it on
# an otherwise quiet machine; bench/abba/summarize.py prints the table.
set -euo pipefail
before=$1 after=$2 gil=$3 ft=$4 out=$5 pairs=${6:-2} rounds=${7:-20}
mkdir -p "$out"
echo "# $(date -u +%FT%TZ) $(uname -r) $(grep -m1 'model name' /proc/cpuinfo)" >> "$out/facts.txt"
for ((i = 1; i <= pairs; i++)); do
  for side in before after; do
    binary=$before
    [ "$side" = after ] && binary=$after
    echo "$side-$i: $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/facts.txt"
    "$binary" run --gil "$gil" --ft "$ft" --range 200000 --threads 1,2 --rounds "$rounds" \
      --seed "20$i" --output "$out/$side-$i.json" > "$out/$side-$i.txt" 2>/dev/null
  done
done
echo "end: $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/facts.txt"
