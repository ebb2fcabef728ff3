#!/usr/bin/env bash
# The built-in workload suite (`--workload builtin:NAME`) on both flavours at 1 and 2 threads,
# beside the prime benchmark at check's range (200,000): one `gilguard run` per workload, each
# built-in's range sized in its warm-up, and a Markdown table of the medians (speedups at 2
# threads, threads against processes, the free-threaded single-thread overhead). Run it on an
# otherwise quiet machine; results go to OUT, the table to stdout.
#
#   bench/workload_suite.sh GILGUARD GIL_PY FT_PY OUT [ROUNDS]
set -euo pipefail
gilguard=$(realpath "$1") gil=$2 ft=$3 out=$4 rounds=${5:-8}
mkdir -p "$out"
names=(primes objects methods generators dict-mutation list-mutation shared-reads)
{
  echo "# $(date -u +%FT%TZ) load: $(cat /proc/loadavg)"
  for name in "${names[@]}"; do
    # The prime benchmark at check's default range, as the reference beside the suite.
    if [ "$name" = primes ]; then spec=(--workload primes --range 200000); else spec=(--workload "builtin:$name"); fi
    "$gilguard" run --gil "$gil" --ft "$ft" "${spec[@]}" --threads 1,2 \
      --rounds "$rounds" --output "$out/$name.json" > "$out/$name.txt" 2> "$out/$name.err"
  done
  echo "# $(date -u +%FT%TZ) load: $(cat /proc/loadavg)"
} > "$out/facts.txt"
python3 - "$out" "${names[@]}" <<'PY'
import json, statistics, sys
out, names = sys.argv[1], sys.argv[2:]
print("| workload | range | GIL at 1 | GIL at 2 | free-threaded at 1 | free-threaded at 2 | threads vs processes (ft, 2) | ft single-thread overhead | rounds |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for name in names:
    r = json.load(open(f"{out}/{name}.json"))
    cells = {(s["flavor"], s["threads"]): s for s in r["summaries"]}
    relative = [s["t_ref"] / s["t_par"] for s in r["samples"]
                if s["round"] > 0 and s["ok"] and s["flavor"] == "ft" and s["threads"] == 2
                and s["t_ref"] > 0 and s["t_par"] > 0]
    speedups = " | ".join(f"{cells[(flavor, t)]['median_speedup']:.2f}x"
                          for flavor in ("gil", "ft") for t in (1, 2))
    print(f"| {r['parameters'].get('workload', 'primes')} | {r['parameters']['range']:,} | {speedups} "
          f"| {statistics.median(relative):.2f} "
          f"| {r['ft_overhead']:.2f}x | {cells[('ft', 2)]['rounds']} |")
PY
