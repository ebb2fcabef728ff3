#!/usr/bin/env python3
"""Measures the cost of gilguard's run harness and the speedups at the blog's settings.

Runs `gilguard run` twice:
  1. at the default settings (range 1,000,000, --threads auto, default rounds): the harness
     overhead is the wall time of the whole command outside the timed Python regions
     (sum over every child of t_seq + t_par) as a share of that wall time;
  2. at 4 threads (the blog's thread count) with a few rounds, for the 4-thread speedups.
It also computes the load-balance bound of the workload's contiguous split (total trial
divisions / the largest chunk's), independently of gilguard's C++ code.

The results replace the section between the run-harness markers in docs/benchmark-results.md
(with --write-docs) and are printed either way.

Usage:
  python3 bench/harness_overhead.py --gilguard build/b/gilguard \
      --gil /tmp/cpython-manual/install-gil/bin/python3.13 \
      --ft /tmp/cpython-manual/install-ft/bin/python3.13t [--write-docs]
"""

import argparse
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmark-results.md"
BEGIN = "<!-- run-harness:begin -->"
END = "<!-- run-harness:end -->"
BLOG = {"gil": 1.00, "ft": 3.56}  # 4 threads on 4 cores, the blog's published speedups


def run_gilguard(gilguard, args, output):
    command = [gilguard, "run", *args, "--output", str(output)]
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return wall, json.loads(pathlib.Path(output).read_text()), done.stdout


def split_bound(limit, threads):
    """total / max trial divisions over the contiguous chunks, as the workload splits them."""
    smallest = list(range(limit))  # smallest prime factor, n itself for primes
    for p in range(2, math.isqrt(limit - 1) + 1):
        if smallest[p] == p:
            for m in range(p * p, limit, p):
                if smallest[m] == m:
                    smallest[m] = p
    size = limit // threads
    work = []
    for i in range(threads):
        first = 1 + i * size
        last = limit if i == threads - 1 else 1 + (i + 1) * size
        total = 0
        for n in range(max(first, 2), last):
            total += (math.isqrt(n) - 1) if smallest[n] == n else (smallest[n] - 1)
        work.append(total)
    return sum(work) / max(work)


def summary(result, flavor, threads):
    for s in result["summaries"]:
        if s["flavor"] == flavor and s["threads"] == threads:
            return s
    return None


def measured_bound(result, flavor, threads):
    """Median over measured rounds of sum / max of the per-thread times: the speedup the chunks'
    actual durations allow when the threads run perfectly in parallel."""
    ratios = sorted(sum(s["thread_times"]) / max(s["thread_times"]) for s in result["samples"]
                    if s["ok"] and s["round"] > 0 and s["flavor"] == flavor
                    and s["threads"] == threads and max(s["thread_times"]) > 0)
    if not ratios:
        return float("nan")
    mid = len(ratios) // 2
    return ratios[mid] if len(ratios) % 2 else (ratios[mid - 1] + ratios[mid]) / 2


def overhead(wall, result):
    timed = sum(s["t_seq"] + s["t_par"] for s in result["samples"] if s["ok"])
    children = sum(s["wall_seconds"] for s in result["samples"])
    return timed, children


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gilguard", required=True)
    parser.add_argument("--gil", required=True)
    parser.add_argument("--ft", required=True)
    parser.add_argument("--rounds-4", default="3", help="measured rounds of the 4-thread run")
    parser.add_argument("--write-docs", action="store_true")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        default_args = ["--gil", options.gil, "--ft", options.ft, "--seed", "1"]
        wall, default, table = run_gilguard(options.gilguard, default_args, pathlib.Path(tmp) / "a.json")
        four_args = ["--gil", options.gil, "--ft", options.ft, "--threads", "4", "--rounds",
                     options.rounds_4, "--seed", "2"]
        _, four, _ = run_gilguard(options.gilguard, four_args, pathlib.Path(tmp) / "b.json")

    timed, children = overhead(wall, default)
    machine = default["machine"]
    p = default["parameters"]
    lines = [
        f"Measured on {time.strftime('%Y-%m-%d')}: {machine['cpu_model']}, "
        f"{machine['usable_cpus']} usable of {machine['logical_cpus']} logical CPUs, "
        f"{machine['os']} {machine['kernel']}; load average {machine['load_start'][0]:.2f} at the "
        f"start of run 1. Interpreters: CPython {default['interpreters']['gil']['version']} "
        f"(`{options.gil}`, `{options.ft}`), built without PGO/LTO.",
        "",
        "Commands:",
        "",
        "```",
        f"python3 bench/harness_overhead.py --gilguard {options.gilguard} --gil {options.gil} "
        f"--ft {options.ft} --write-docs",
        f"# run 1: gilguard run {' '.join(default_args)} --output a.json",
        f"# run 2: gilguard run {' '.join(four_args)} --output b.json",
        "```",
        "",
        "### Harness overhead (run 1, default settings)",
        "",
        f"Range {p['range']:,}, threads {p['threads']}, {p['rounds']} measured rounds plus the "
        f"warm-up, {len(default['samples'])} children.",
        "",
        "| | seconds | share of the wall time |",
        "| --- | ---: | ---: |",
        f"| `gilguard run`, whole command | {wall:.2f} | 100% |",
        f"| timed Python regions (sum of t_seq + t_par) | {timed:.2f} | {timed / wall:.2%} |",
        f"| children outside the timed regions (start-up, threads, JSON) | {children - timed:.2f} "
        f"| {(children - timed) / wall:.2%} |",
        f"| gilguard itself (probes, sieve, spawning, results) | {wall - children:.2f} "
        f"| {(wall - children) / wall:.2%} |",
        f"| **harness overhead** (wall - timed) | **{wall - timed:.2f}** "
        f"| **{(wall - timed) / wall:.2%}** (target <= 2%) |",
        "",
        "### Speedups at the blog's settings (range 1,000,000)",
        "",
        "| interpreter | threads | this machine: median speedup | rounds | load imbalance "
        "| split bound (divisions) | split bound (thread times) | blog (4 cores) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    bounds = {t: split_bound(p["range"], t) for t in (1, 2, 4)}
    for flavor, label in (("gil", "GIL"), ("ft", "free-threaded")):
        for threads, source in ((1, default), (2, default), (4, four)):
            s = summary(source, flavor, threads)
            if s is None:
                continue
            blog = f"{BLOG[flavor]:.2f}x" if threads == 4 else ""
            lines.append(
                f"| {label} | {threads} | {s['median_speedup']:.2f}x | {s['rounds']} "
                f"| {s['load_imbalance']:.2f} | {bounds[threads]:.2f}x "
                f"| {measured_bound(source, flavor, threads):.2f}x | {blog} |")
    lines += [
        "",
        f"Free-threaded single-thread overhead (t_seq ft / t_seq GIL, paired by round): "
        f"{default['ft_overhead']:.2f}x. The 4-thread rows have more threads than usable CPUs "
        f"here, so they are not gated (`gated=false`).",
        "",
        "Split bounds: what perfectly parallel threads could reach with the workload's "
        "contiguous chunks. *Divisions* models a chunk's work as its trial divisions (the same "
        "count as gilguard's `split bound` column): total / the largest chunk's. *Thread times* "
        "uses the chunks' measured durations instead (median over rounds of the sum of the "
        "per-thread times / the longest); it also counts the per-number cost (a call and a "
        "`range` per number) that the division count leaves out, which spreads the work more "
        "evenly. Later chunks hold larger numbers, whose primes need more divisions, so the last "
        "thread has the most work and caps the speedup below the thread count.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    print(table, file=sys.stderr)
    if options.write_docs:
        doc = DOC.read_text() if DOC.exists() else "# Benchmark results\n"
        block = f"{BEGIN}\n{text}{END}"
        if BEGIN in doc and END in doc:
            doc = doc[: doc.index(BEGIN)] + block + doc[doc.index(END) + len(END):]
        else:
            doc = doc.rstrip("\n") + "\n\n## Run harness (`gilguard run`)\n\n" + block + "\n"
        DOC.write_text(doc)


if __name__ == "__main__":
    main()
