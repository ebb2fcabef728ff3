# Written for gilguard (issue 19): how much of a short threaded region on a free-threaded build is
# the threads' own start-up. A plain script, apart from gilguard's prelude, so the question is
# answered without the code under suspicion.
#
#   python warmth.py RANGE THREADS MODE WARMUP
#
# MODE cold: the sequential region is the first prime counting this process does, and the
# threads start on the chunks at once (what gilguard's children did before issue 19).
# MODE warm: the main thread counts primes below WARMUP first; each worker thread counts WARMUP
# numbers of its own chunk twice (timed: the first call on cold bytecode, the second warm), then
# all wait at a barrier, and the threaded region is timed from the barrier on.
# MODE started: as cold, but the threads are started (and pinned) before the region and wait at a
# barrier, without a warm-up: what starting a thread costs, apart from its cold bytecode.
# MODE cold-free: as cold, but the main thread may run on every CPU while it starts the threads
# (in cold it stays pinned to the first CPU, worker 0's, as gilguard's children did).
# MODE warm-forked: as warm, but the reference processes are forked before the threads start (and
# wait), as gilguard's children fork them; in warm they are forked after the threads have ended.
# Each thread's start delay (from the first start() call to the thread's first instruction) is
# reported.
# The reference processes are forked after the sequential region (so they inherit its warm
# bytecode) and timed from one start signal, as in gilguard's prelude. Prints one JSON line.
import json
import os
import sys
import threading
from math import isqrt
from time import perf_counter


def is_prime(n):
    if n < 2:
        return False
    for d in range(2, isqrt(n) + 1):
        if n % d == 0:
            return False
    return True


def count_between(first, last):
    return sum(1 for n in range(first, last) if is_prime(n))


# The CPUs this process may use, read once before anything is pinned.
CPUS = sorted(os.sched_getaffinity(0))


def pin(index):
    os.sched_setaffinity(0, {CPUS[index % len(CPUS)]})


def parts(limit, nthreads):
    size = limit // nthreads
    return [(1 + i * size if i else 1, limit if i == nthreads - 1 else (i + 1) * size)
            for i in range(nthreads)]


def threads(chunks, mode, warmup):
    warm = mode == "warm"
    gated = mode in ("warm", "started")
    n = len(chunks)
    gate = threading.Barrier(n + 1)
    done = [0.0] * n
    start = [0.0] * n
    entry = [0.0] * n
    first_call = [0.0] * n
    second_call = [0.0] * n

    def worker(i, a, b):
        entry[i] = perf_counter()
        pin(i)
        if warm:
            began = perf_counter()
            count_between(a, a + warmup)
            first_call[i] = perf_counter() - began
            began = perf_counter()
            count_between(a, a + warmup)
            second_call[i] = perf_counter() - began
        if gated:
            gate.wait()
        start[i] = perf_counter()
        count_between(a, b)
        done[i] = perf_counter()

    workers = [threading.Thread(target=worker, args=(i, a, b)) for i, (a, b) in enumerate(chunks)]
    if mode == "cold-free":
        os.sched_setaffinity(0, CPUS)
    began = launched = perf_counter()
    for w in workers:
        w.start()
    if gated:
        gate.wait()
    for w in workers:
        w.join()
    # Started threads are timed by their own clocks, from the first start to the last end: the
    # main thread may wake from the barrier late, as it shares a CPU with worker 0.
    delays = [e - launched for e in entry]
    if gated:
        began = min(start)
    return max(done) - began, first_call, second_call, delays


def fork_pool(chunks, warm, warmup):
    pipes = []
    for i, (a, b) in enumerate(chunks):
        go_r, go_w = os.pipe()
        done_r, done_w = os.pipe()
        if os.fork() == 0:
            pin(i)
            if warm:
                count_between(a, a + warmup)
            os.read(go_r, 1)
            began = perf_counter()
            count_between(a, b)
            os.write(done_w, json.dumps([began, perf_counter()]).encode())
            os._exit(0)
        pipes.append((go_w, done_r))
    return pipes


def processes(pipes):
    for go, _ in pipes:
        os.write(go, b"g")
    stamps = [json.loads(os.read(done, 4096)) for _, done in pipes]
    for _ in pipes:
        os.wait()
    # perf_counter is CLOCK_MONOTONIC on Linux: one clock for every process.
    return max(end for _, end in stamps) - min(begin for begin, _ in stamps)


def main():
    limit, nthreads, mode, warmup = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    warm = mode in ("warm", "warm-forked")
    pin(0)
    if warm:
        count_between(1, warmup)
    began = perf_counter()
    count_between(1, limit)
    t_seq = perf_counter() - began
    chunks = parts(limit, nthreads)
    # The processes inherit the bytecode the sequential region warmed.
    # warm-forked: the processes are forked before the threads start, as gilguard's children do.
    early = fork_pool(chunks, warm, warmup) if mode == "warm-forked" else None
    t_par, first, second, delays = threads(chunks, "warm" if early else mode, warmup)
    pin(0)
    t_ref = processes(early or fork_pool(chunks, warm, warmup))
    print(json.dumps({"version": sys.version.split()[0], "xoptions": sys._xoptions,
                      "gil": getattr(sys, "_is_gil_enabled", lambda: True)(), "range": limit,
                      "threads": nthreads, "mode": mode, "warmup": warmup, "t_seq": t_seq,
                      "t_par": t_par, "t_ref": t_ref, "speedup": t_seq / t_par,
                      "speedup_ref": t_seq / t_ref, "ratio": t_ref / t_par,
                      "first_call": first, "second_call": second, "start_delay": delays}))


main()
