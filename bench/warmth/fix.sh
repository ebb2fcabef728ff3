#!/usr/bin/env bash
# Issue 19: check's default range (200,000, threads 1 and 2) with and without the warm-up, one
# interpreter pair, interleaved: `gilguard run` of the build before the fix (OLD), then of this
# one (NEW), PAIRS times. Results and terminal reports go to OUT; a table of the medians
# (free-threaded speedup at 2 threads, threads against processes) to stdout.
#
#   bench/warmth/fix.sh OLD_GILGUARD NEW_GILGUARD GIL_PY FT_PY OUT [PAIRS (2)] [ROUNDS (20)]
set -euo pipefail
old=$(realpath "$1") new=$(realpath "$2") gil=$3 ft=$4 out=$5 pairs=${6:-2} rounds=${7:-20}
mkdir -p "$out"
echo "# $(date -u +%FT%TZ) load: $(cat /proc/loadavg)" > "$out/facts.txt"
for ((i = 1; i <= pairs; i++)); do
  for which in old new; do
    binary=$old; [ "$which" = new ] && binary=$new
    "$binary" run --gil "$gil" --ft "$ft" --range 200000 --threads 1,2 --rounds "$rounds" \
      --seed "19$i" --output "$out/$which-$i.json" > "$out/$which-$i.txt" 2>/dev/null
  done
done
echo "# $(date -u +%FT%TZ) load: $(cat /proc/loadavg)" >> "$out/facts.txt"
python3 - "$out" "$pairs" <<'PY'
import json, statistics, sys
out, pairs = sys.argv[1], int(sys.argv[2])
print("| gilguard | run | Python | ft speedup at 2 | threads / processes (ft, 2) | GIL speedup at 2 | ft overhead | ft thread warm-up |")
print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
for which in ("old", "new"):
    for i in range(1, pairs + 1):
        r = json.load(open(f"{out}/{which}-{i}.json"))
        cells = {(s["flavor"], s["threads"]): s for s in r["summaries"]}
        ft2 = [s for s in r["samples"] if s["round"] > 0 and s["ok"] and s["flavor"] == "ft"
               and s["threads"] == 2 and s["t_ref"] > 0]
        warm = cells[("ft", 2)].get("thread_warm_up")
        print(f"| {'before the fix' if which == 'old' else 'warm-up'} | {i} | {r['interpreters']['ft']['version']} "
              f"| {cells[('ft', 2)]['median_speedup']:.2f}x "
              f"| {statistics.median(s['t_ref'] / s['t_par'] for s in ft2):.2f} "
              f"| {cells[('gil', 2)]['median_speedup']:.2f}x | {r['ft_overhead']:.2f}x "
              f"| {f'{warm * 1e3:.2f} ms' if warm is not None else '-'} |")
PY
