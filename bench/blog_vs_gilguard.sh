#!/usr/bin/env bash
# Issue 19, item 5: the blog's own script against gilguard's report on the same interpreters.
# The script is read from the blog post at run time (the first ```python block of
# ../shared/seed/free-threading-blog.md; it is not part of this repository), its thread count
# changed from the blog's 4 to THREADS (2 on this project's 2-CPU machines), and run RUNS times
# on each interpreter, alternating; then `gilguard run` measures the same range (1,000,000, the
# blog's) at 1 and THREADS threads. Run it on an otherwise quiet machine; outputs go to OUT, a
# Markdown table to stdout.
#
#   bench/blog_vs_gilguard.sh GILGUARD GIL_PY FT_PY OUT [RUNS (3)] [THREADS (2)] [ROUNDS (6)]
set -euo pipefail
gilguard=$(realpath "$1") gil=$2 ft=$3 out=$4 runs=${5:-3} threads=${6:-2} rounds=${7:-6}
repo=$(cd "$(dirname "$0")/.." && pwd)
post=${GILGUARD_BLOG_POST:-$repo/../shared/seed/free-threading-blog.md}
[ -f "$post" ] || { echo "blog_vs_gilguard: no blog post at $post (set GILGUARD_BLOG_POST)" >&2; exit 2; }
mkdir -p "$out"
# The blog's code is not ours to keep: it goes to a temporary file, never into OUT.
script=$(mktemp --suffix=.py)
trap 'rm -f "$script"' EXIT
awk '/^```python/ { inside = 1; next } inside && /^```/ { exit } inside { print }' "$post" |
  sed -E "s/^( *NUM_THREADS = )4$/\1$threads/" > "$script"
grep -q "NUM_THREADS = $threads\$" "$script" ||
  { echo "blog_vs_gilguard: could not set the thread count in $script" >&2; exit 2; }
echo "# $(date -u +%FT%TZ) load: $(cat /proc/loadavg)" > "$out/facts.txt"
for ((i = 1; i <= runs; i++)); do
  # Only its numbers are kept: the script's other lines are the blog's prose.
  "$gil" "$script" | grep -E '^(Found|Time taken|Speedup)' > "$out/blog-gil-$i.txt"
  "$ft" "$script" | grep -E '^(Found|Time taken|Speedup)' > "$out/blog-ft-$i.txt"
done
"$gilguard" run --gil "$gil" --ft "$ft" --range 1000000 --threads "1,$threads" --rounds "$rounds" \
  --output "$out/gilguard.json" > "$out/gilguard.txt" 2> /dev/null
echo "# $(date -u +%FT%TZ) load: $(cat /proc/loadavg)" >> "$out/facts.txt"
python3 - "$out" "$runs" "$threads" <<'PY'
import json, re, statistics, sys
out, runs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def blog(flavor):
    values = []
    for i in range(1, runs + 1):
        text = open(f"{out}/blog-{flavor}-{i}.txt").read()
        values.append(float(re.search(r"Speedup: ([0-9.]+)x", text).group(1)))
    return values
r = json.load(open(f"{out}/gilguard.json"))
cells = {(s["flavor"], s["threads"]): s for s in r["summaries"]}
ref = [s["t_seq"] / s["t_ref"] for s in r["samples"] if s["round"] > 0 and s["ok"]
       and s["flavor"] == "ft" and s["threads"] == threads and s["t_ref"] > 0]
print(f"| measured by | runs | GIL speedup at {threads} | free-threaded speedup at {threads} | processes' speedup (ft) |")
print("| --- | ---: | ---: | ---: | ---: |")
fmt = lambda v: f"{statistics.median(v):.2f}x ({min(v):.2f}-{max(v):.2f})"
print(f"| the blog's script (its own timing, threads started inside it) | {runs} | {fmt(blog('gil'))} | {fmt(blog('ft'))} | - |")
print(f"| gilguard run (medians over rounds) | {cells[('ft', threads)]['rounds']} | "
      f"{cells[('gil', threads)]['median_speedup']:.2f}x | {cells[('ft', threads)]['median_speedup']:.2f}x | "
      f"{statistics.median(ref):.2f}x |")
PY
