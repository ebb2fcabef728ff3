#!/usr/bin/env python3
"""Machine-to-machine spread beside within-sitting spread, per metric.

Reads results files laid out as bench/data/machines/<machine>/r-*.json (each file one run, its
folder its machine) and prints, per metric: each machine's runs (median over rounds of the
per-round value, the same per-round values gilguard's verdict uses, leaving out what
interference disturbed by gilguard's per-metric rules, mirrored from stats/interference.cpp),
the within-machine spread (pooled sd of the log run estimates
within a machine: the sitting), and the machine-to-machine spread (sd of the log machine means).
The metrics: ft-speedup-2 (raw), ft-relative-2 (threads against processes: normalised by the
same-machine reference), ft-overhead, gil-speedup-2.

    bench/machine_spread.py bench/data/machines/*/r-*.json [--rounds N]
"""
import argparse
import json
import math
import os
import statistics
from collections import defaultdict

LIMIT = 0.05  # stats::k_default_interference_limit


def loss(load, cpus):
    """Share of a region's worker time lost to the outside: stats::region_loss, mirrored."""
    if not load or load["wall"] <= 0 or (cpus and load["workers"] > cpus):
        return 0.0
    capacity = load["wall"] * load["workers"]
    out = 0.0
    if load.get("wait") is not None:
        quota = (load.get("throttled") or 0.0) * load["workers"]
        out += max(0.0, load["wait"] - (load.get("other_cpu") or 0.0) - quota) / capacity
    if load.get("steal") is not None and cpus:
        out += max(0.0, load["steal"]) / (cpus * load["wall"])
    return out


def region(sample, name):
    return loss((sample.get("loads") or {}).get(name), sample.get("cpus", 0))


# What each value can bear, as stats::disturbs_sequential / _speedup / _relative decide.
def disturbs_sequential(s):
    return region(s, "seq") > LIMIT


def disturbs_speedup(s):
    return disturbs_sequential(s) or region(s, "par") > LIMIT


def disturbs_relative(s):
    return abs(region(s, "par") - region(s, "ref")) > LIMIT


def per_round(path, rounds):
    data = json.load(open(path))
    values = defaultdict(dict)
    seq = defaultdict(dict)
    for s in data["samples"]:
        if s["round"] < 1 or not s["ok"] or s["t_seq"] <= 0:
            continue
        if rounds and s["round"] > rounds:
            continue
        f, t, r = s["flavor"], s["threads"], s["round"]
        if t > 1 and s["t_par"] > 0:
            if not disturbs_speedup(s):
                values[f"{f}-speedup-{t}"][r] = s["t_seq"] / s["t_par"]
            if s.get("t_ref", 0) > 0 and not disturbs_relative(s):
                values[f"{f}-relative-{t}"][r] = s["t_ref"] / s["t_par"]
        if t == 1 and not disturbs_sequential(s):
            seq[r][f] = s["t_seq"]
    for r, both in seq.items():
        if "gil" in both and "ft" in both:
            values["ft-overhead"][r] = both["ft"] / both["gil"]
    return values


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--rounds", type=int, default=0, help="first N rounds of each file")
    args = parser.parse_args()
    runs = defaultdict(lambda: defaultdict(list))  # metric -> machine -> [log run estimate]
    within_round_sd = defaultdict(list)
    for path in sorted(args.files):
        machine = os.path.basename(os.path.dirname(os.path.abspath(path)))
        for metric, by_round in per_round(path, args.rounds).items():
            logs = [math.log(v) for v in by_round.values() if v > 0]
            if len(logs) < 2:
                continue
            runs[metric][machine].append(statistics.median(logs))
            within_round_sd[metric].append(statistics.stdev(logs))
    for metric in sorted(runs):
        machines = runs[metric]
        print(f"{metric}: per-round sd (log) {statistics.mean(within_round_sd[metric]):.3f}")
        means = []
        pooled_num = pooled_den = 0.0
        for machine, estimates in sorted(machines.items()):
            mean = statistics.mean(estimates)
            means.append(mean)
            shown = " ".join(f"{math.exp(e):.3f}" for e in estimates)
            sd = statistics.stdev(estimates) if len(estimates) > 1 else float("nan")
            if len(estimates) > 1:
                pooled_num += (len(estimates) - 1) * sd * sd
                pooled_den += len(estimates) - 1
            print(f"  {machine:<12} {len(estimates)} runs: {shown}  (mean {math.exp(mean):.3f}, "
                  f"within-sitting sd {sd:.3f})")
        within = math.sqrt(pooled_num / pooled_den) if pooled_den else float("nan")
        between = statistics.stdev(means) if len(means) > 1 else float("nan")
        print(f"  within-sitting sd (pooled) {within:.3f}; machine-to-machine sd of the means "
              f"{between:.3f} over {len(means)} machine(s)")


if __name__ == "__main__":
    main()
