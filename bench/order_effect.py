#!/usr/bin/env python3
"""How the order of the two timed regions in a child changes what it measures.

Each child of `gilguard run` times a sequential region and a threaded region back to back; the
`seq_first` field of every sample says which came first. Given results files recorded with both
orders, this prints per (interpreter, threads) cell and per order: the median t_seq, t_par and
speedup, and the spread (sd) of the log speedup, next to the spread of both orders pooled.

Usage:
  python3 bench/order_effect.py bench/data/quiet-200k-random/r-*.json
"""

import json
import math
import statistics
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    samples = []
    for path in sys.argv[1:]:
        with open(path) as f:
            samples += [s for s in json.load(f)["samples"] if s["round"] >= 1 and s["ok"]]
    print(f"{len(samples)} measured children from {len(sys.argv) - 1} file(s)\n")
    print("| interpreter | threads | order | children | median t_seq (s) | median t_par (s) "
          "| median speedup | sd of log speedup |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for flavor, label in (("gil", "GIL"), ("ft", "free-threaded")):
        threads = sorted({s["threads"] for s in samples if s["flavor"] == flavor})
        for t in threads:
            cell = [s for s in samples if s["flavor"] == flavor and s["threads"] == t]
            for order, chosen in (("sequential first", [s for s in cell if s["seq_first"]]),
                                  ("threaded first", [s for s in cell if not s["seq_first"]]),
                                  ("both, pooled", cell)):
                if len(chosen) < 2:
                    continue
                logs = [math.log(s["t_seq"] / s["t_par"]) for s in chosen]
                print(f"| {label} | {t} | {order} | {len(chosen)} "
                      f"| {statistics.median(s['t_seq'] for s in chosen):.4f} "
                      f"| {statistics.median(s['t_par'] for s in chosen):.4f} "
                      f"| {math.exp(statistics.median(logs)):.3f}x "
                      f"| {statistics.stdev(logs):.3f} |")


if __name__ == "__main__":
    main()
