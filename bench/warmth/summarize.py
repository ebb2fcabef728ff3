# Summarizes bench/warmth/run.sh's JSON lines: per configuration, the median (and range) of the
# 2-thread speedup, the threads-against-processes ratio and the per-thread warm-up cost.
# start_delay.py uses its spread() too.
#
#   python3 bench/warmth/summarize.py bench/data/warmth/e/runs.jsonl
import json
import statistics
import sys
from collections import defaultdict


def spread(values, fmt="{:.2f}"):
    """"median (min-max)" of values, each written with fmt."""
    return (fmt + " (" + fmt + "-" + fmt + ")").format(statistics.median(values), min(values),
                                                        max(values))


def main(path):
    groups = defaultdict(list)
    with open(path) as f:
        for line in f:
            run = json.loads(line)
            tlbc = run["xoptions"].get("tlbc", "-")
            if run["version"].startswith("3.13"):
                tlbc = "n/a"
            groups[(run["version"], tlbc, run["range"], run["mode"], run["warmup"])].append(run)
    print("| build | tlbc | range | threads start | warm-up numbers | runs | speedup | "
          "threads / processes | t_seq (s) | warm-up cost per thread (ms) |")
    print("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for key in sorted(groups, key=lambda k: (k[2], k[0], k[1], k[3], k[4])):
        version, tlbc, limit, mode, warmup = key
        runs = groups[key]
        cost = "-"
        if mode == "warm":
            per_run = [statistics.mean(a - b for a, b in zip(r["first_call"], r["second_call"]))
                       for r in runs]
            cost = spread([c * 1e3 for c in per_run], "{:.2f}")
        print(f"| {version}t | {tlbc} | {limit:,} | {mode} | {warmup if mode == 'warm' else '-'} "
              f"| {len(runs)} | {spread([r['speedup'] for r in runs])} | "
              f"{spread([r['ratio'] for r in runs])} | "
              f"{spread([r['t_seq'] for r in runs], '{:.3f}')} | {cost} |")


if __name__ == "__main__":
    main(sys.argv[1])
