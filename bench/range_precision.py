#!/usr/bin/env python3
"""Which range gives `gilguard check` the tightest verdict for the seconds it measures.

A round at a smaller range is shorter, so more rounds fit into a time budget, but each round
is noisier (thread start-up, scheduler ticks and interpreter start-up weigh more). What the
verdict needs is a small standard error of the per-round log values for the seconds spent:
sd / sqrt(rounds that fit into 100 s). For each range this runs `gilguard run` for about the
same wall time (`--time-budget`), then reports per metric the sd of the per-round log values
and that standard error per 100 s of wall time (smaller is better).

Usage:
  python3 bench/range_precision.py --gilguard build/default/gilguard --gil PY --ft PY \\
      [--ranges 100000,150000,200000,300000,400000,1000000] [--seconds 60] [--write-docs]

With --write-docs the table replaces the range-precision section of docs/benchmark-results.md.

Run it on a quiet machine (nothing else busy): its numbers are noise measurements.
"""

import argparse
import json
import math
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmark-results.md"
BEGIN = "<!-- range-precision:begin -->"
END = "<!-- range-precision:end -->"


def per_round_logs(result):
    """Per measured round: log ft speedup at 2 threads and log ft/GIL single-thread overhead."""
    rounds = {}
    for s in result["samples"]:
        if s["round"] >= 1 and s["ok"]:
            rounds.setdefault(s["round"], {})[(s["flavor"], s["threads"])] = s
    speedup, overhead = [], []
    for cells in rounds.values():
        ft2 = cells.get(("ft", 2))
        if ft2 and ft2["t_par"] > 0:
            speedup.append(math.log(ft2["t_seq"] / ft2["t_par"]))
        ft1, gil1 = cells.get(("ft", 1)), cells.get(("gil", 1))
        if ft1 and gil1:
            overhead.append(math.log(ft1["t_seq"] / gil1["t_seq"]))
    return speedup, overhead


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gilguard", required=True)
    parser.add_argument("--gil", required=True)
    parser.add_argument("--ft", required=True)
    parser.add_argument("--ranges", default="100000,150000,200000,300000,400000,1000000")
    parser.add_argument("--seconds", type=float, default=60.0,
                        help="time budget of each run (the warm-up included)")
    parser.add_argument("--seed", type=int, default=5000)
    parser.add_argument("--write-docs", action="store_true")
    options = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, limit in enumerate(int(r) for r in options.ranges.split(",")):
            output = pathlib.Path(tmp) / f"r{limit}.json"
            command = [options.gilguard, "run", "--gil", options.gil, "--ft", options.ft,
                       "--threads", "1,2", "--range", str(limit), "--time-budget",
                       f"{options.seconds:g}", "--seed", str(options.seed + i), "--output",
                       str(output)]
            began = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            wall = time.perf_counter() - began
            if done.returncode != 0:
                sys.exit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
            result = json.loads(output.read_text())
            speedup, overhead = per_round_logs(result)
            n = len(speedup)
            per_round = wall / (n + 1)  # the warm-up round counts: check pays for it too
            fit = 100 / per_round
            row = {"range": limit, "rounds": n, "wall": wall, "per_round": per_round,
                   "median_speedup": math.exp(statistics.median(speedup)),
                   "median_overhead": math.exp(statistics.median(overhead))}
            for name, values in (("speedup", speedup), ("overhead", overhead)):
                sd = statistics.stdev(values) if len(values) >= 2 else float("nan")
                row[f"sd_{name}"] = sd
                row[f"se100_{name}"] = sd / math.sqrt(fit)
            rows.append(row)
            print(f"range {limit}: {n} rounds in {wall:.1f} s", file=sys.stderr)

    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average at the end "
        f"{open('/proc/loadavg').read().split()[0]}; about {options.seconds:g} s per range, "
        "threads 1,2, the warm-up round counted in the seconds per round:",
        "",
        "```",
        f"python3 bench/range_precision.py --gilguard {options.gilguard} --gil {options.gil} "
        f"--ft {options.ft} --ranges {options.ranges} --seconds {options.seconds:g}",
        "```",
        "",
        "| range | rounds | s per round | median ft speedup at 2 | median ft overhead "
        "| sd per round: speedup | sd per round: overhead | se per 100 s: speedup "
        "| se per 100 s: overhead |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['range']:,} | {r['rounds']} | {r['per_round']:.2f} | {r['median_speedup']:.2f}x "
            f"| {r['median_overhead']:.3f}x | {r['sd_speedup']:.3f} | {r['sd_overhead']:.3f} "
            f"| {r['se100_speedup']:.4f} | {r['se100_overhead']:.4f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if options.write_docs:
        doc = DOC.read_text()
        if BEGIN not in doc or END not in doc:
            sys.exit(f"{DOC} has no {BEGIN} ... {END} section to replace")
        doc = doc[: doc.index(BEGIN)] + f"{BEGIN}\n{text}{END}" + doc[doc.index(END) + len(END):]
        DOC.write_text(doc)


if __name__ == "__main__":
    main()
