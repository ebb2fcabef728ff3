#!/usr/bin/env bash
# Issue 19, item 5: 3.13 against 3.14, GIL and free-threaded, side by side in one sitting. For
# each workload (the prime benchmark at check's range 200,000, then each built-in of the suite,
# its range sized in its warm-up) one `gilguard run` at 1 and 2 threads on 3.13, then the same on
# 3.14, back to back, so both versions meet the machine of the same minutes. One Markdown table
# of the medians on stdout: the speedups, threads against processes (free-threaded, 2 threads),
# the free-threaded single-thread overhead and the per-thread warm-up. Run it on an otherwise
# quiet machine; results and terminal reports go to OUT.
#
#   bench/versions.sh GILGUARD OUT GIL313 FT313 GIL314 FT314 [ROUNDS (8)]
set -euo pipefail
gilguard=$(realpath "$1") out=$2 rounds=${7:-8}
declare -A gil=([3.13]=$3 [3.14]=$5) ft=([3.13]=$4 [3.14]=$6)
mkdir -p "$out"
names=(primes objects methods generators dict-mutation list-mutation shared-reads)
{
  echo "# $(date -u +%FT%TZ) load: $(cat /proc/loadavg)"
  for name in "${names[@]}"; do
    if [ "$name" = primes ]; then spec=(--workload primes --range 200000); else spec=(--workload "builtin:$name"); fi
    for version in 3.13 3.14; do
      "$gilguard" run --gil "${gil[$version]}" --ft "${ft[$version]}" "${spec[@]}" --threads 1,2 \
        --rounds "$rounds" --output "$out/$name-$version.json" > "$out/$name-$version.txt" \
        2> "$out/$name-$version.err"
    done
  done
  echo "# $(date -u +%FT%TZ) load: $(cat /proc/loadavg)"
} > "$out/facts.txt"
python3 - "$out" "${names[@]}" <<'PY'
import json, statistics, sys
out, names = sys.argv[1], sys.argv[2:]
print("| workload | Python | range | GIL at 2 | free-threaded at 1 | free-threaded at 2 "
      "| threads vs processes (ft, 2) | ft single-thread overhead | ft thread warm-up | rounds |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for name in names:
    for version in ("3.13", "3.14"):
        r = json.load(open(f"{out}/{name}-{version}.json"))
        cells = {(s["flavor"], s["threads"]): s for s in r["summaries"]}
        relative = [s["t_ref"] / s["t_par"] for s in r["samples"]
                    if s["round"] > 0 and s["ok"] and s["flavor"] == "ft" and s["threads"] == 2
                    and s["t_ref"] > 0 and s["t_par"] > 0]
        warm = cells[("ft", 2)].get("thread_warm_up")
        warm = f"{warm * 1e3:.2f} ms" if warm is not None else "-"
        print(f"| {name} | {r['interpreters']['ft']['version']} | {r['parameters']['range']:,} "
              f"| {cells[('gil', 2)]['median_speedup']:.2f}x "
              f"| {cells[('ft', 1)]['median_speedup']:.2f}x "
              f"| {cells[('ft', 2)]['median_speedup']:.2f}x "
              f"| {statistics.median(relative):.2f} | {r['ft_overhead']:.2f}x | {warm} "
              f"| {cells[('ft', 2)]['rounds']} |")
PY
