#!/usr/bin/env python3
"""The spread of an A/B run's paired ratios, per recorded file: how much a head/base ratio
paired within one round moves from round to round when head and base are the same interpreters
(A/A), and what that costs in seconds of rounds.

    bench/ab_noise.py bench/data/ab/c/scan-r*.json bench/data/ab/c/aa-0*.json

For each file: the range and repeats per child, the standard deviation over rounds of the log
ratio head/base of the free-threaded speedup at 2 threads and of each flavour's single-thread
time, the mean seconds a round took (its children's wall times), and the seconds of rounds an
interval of +-1% (one standard error, log scale) on the free-threaded speedup ratio needs:
(sd / 0.01)^2 rounds. Results and reading: docs/evaluation.md, "A/B".
"""
import json
import math
import statistics
import sys


def paired(samples, flavor, value):
    by_side = {"head": {}, "base": {}}
    for s in samples:
        if s["round"] < 1 or not s["ok"] or s["flavor"] != flavor or s["threads"] < 2:
            continue
        by_side[s.get("side", "head")].setdefault(s["round"], value(s))
    rounds = sorted(set(by_side["head"]) & set(by_side["base"]))
    return [math.log(by_side["head"][r] / by_side["base"][r]) for r in rounds]


def main(paths):
    print("| file | range | repeats | rounds | sd ft speedup | sd ft time | sd GIL time |"
          " s per round | s for +-1% |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path in paths:
        with open(path) as f:
            run = json.load(f)
        samples = run["samples"]
        speedup = paired(samples, "ft", lambda s: s["t_seq"] / s["t_par"])
        ft_time = paired(samples, "ft", lambda s: s["t_seq"])
        gil_time = paired(samples, "gil", lambda s: s["t_seq"])
        walls = {}
        for s in samples:
            if s["round"] >= 1:
                walls[s["round"]] = walls.get(s["round"], 0.0) + s["wall_seconds"]
        per_round = statistics.mean(walls.values())
        sd = statistics.stdev(speedup)
        p = run["parameters"]
        print(f"| {path.split('/')[-1]} | {p['range']:,} | {p.get('repeats', 1)} | {len(speedup)} |"
              f" {sd:.3f} | {statistics.stdev(ft_time):.3f} | {statistics.stdev(gil_time):.3f} |"
              f" {per_round:.2f} | {(sd / 0.01) ** 2 * per_round:.0f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
