#!/usr/bin/env python3
"""Coarse calibration of bench/ab/contention.patch.

For each strength N (GILGUARD_CONTENTION_EVERY=N; 0 is off), a fresh process of the patched
free-threaded interpreter counts the primes below RANGE by trial division, once sequentially and
once split into two contiguous chunks over two threads, back to back, and reports both times (the
method of gilguard's prime workload, written again here in a few lines). Rounds run every N once,
in a fresh random order; the result per N is the median over rounds of the speedup
t_sequential / t_threads and of t_sequential, and their change against N=0.

    python3 bench/ab/calibrate.py PYTHON_FT [--every 0,2,4,8] [--rounds 8] [--range 200000]
                                            [--budget SECONDS]

With --budget, no round starts after that many seconds (the rounds done so far count).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

CHILD = r"""
import json, sys, threading, time
from math import isqrt

def count(first, last):
    found = 0
    for n in range(first, last):
        if n < 2:
            continue
        for d in range(2, isqrt(n) + 1):
            if n % d == 0:
                break
        else:
            found += 1
    return found

limit = int(sys.argv[1])
start = time.perf_counter()
sequential = count(1, limit)
t_seq = time.perf_counter() - start
results = [0, 0]
middle = limit // 2
def work(i, first, last):
    results[i] = count(first, last)
threads = [threading.Thread(target=work, args=(0, 1, middle)),
           threading.Thread(target=work, args=(1, middle, limit))]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
t_par = time.perf_counter() - start
assert sum(results) == sequential, (results, sequential)
gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
print(json.dumps({"t_seq": t_seq, "t_par": t_par, "count": sequential, "gil": gil}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("python")
    parser.add_argument("--every", default="0,2,4,8,16,32")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--range", type=int, default=200000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--budget", type=float, default=0)
    args = parser.parse_args()
    strengths = [int(n) for n in args.every.split(",")]
    rng = random.Random(args.seed)
    samples = {n: [] for n in strengths}
    started = time.monotonic()
    for round_index in range(args.rounds + 1):  # round 0: warm-up, discarded
        if args.budget and round_index > 1 and time.monotonic() - started > args.budget:
            break
        order = strengths[:]
        rng.shuffle(order)
        for n in order:
            env = dict(os.environ, GILGUARD_CONTENTION_EVERY=str(n))
            out = subprocess.run([args.python, "-c", CHILD, str(args.range)], env=env,
                                 capture_output=True, text=True, check=True, timeout=300)
            sample = json.loads(out.stdout)
            if sample["gil"]:
                sys.exit(f"{args.python}: the GIL is enabled; pass the free-threaded build")
            if round_index > 0:
                samples[n].append(sample)
    base = samples[strengths[0]]
    base_speedup = statistics.median(s["t_seq"] / s["t_par"] for s in base)
    base_seq = statistics.median(s["t_seq"] for s in base)
    rounds = len(base)
    print(f"{'N':>6} {'speedup':>8} {'change':>8} {'t_seq':>7} {'change':>8}  "
          f"(medians of {rounds} rounds, {time.monotonic() - started:.0f} s)")
    for n in strengths:
        speedup = statistics.median(s["t_seq"] / s["t_par"] for s in samples[n])
        seq = statistics.median(s["t_seq"] for s in samples[n])
        print(f"{n:>6} {speedup:>8.3f} {100 * (speedup / base_speedup - 1):>+7.1f}% "
              f"{seq:>7.3f} {100 * (seq / base_seq - 1):>+7.1f}%")


if __name__ == "__main__":
    main()
