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


def pin(index):
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpus[index % len(cpus)]})


def parts(limit, nthreads):
    size = limit // nthreads
    return [(1 + i * size if i else 1, limit if i == nthreads - 1 else (i + 1) * size)
            for i in range(nthreads)]


def threads(chunks, warm, warmup):
    n = len(chunks)
    gate = threading.Barrier(n + 1)
    done = [0.0] * n
    first_call = [0.0] * n
    second_call = [0.0] * n

    def worker(i, a, b):
        pin(i)
        if warm:
            began = perf_counter()
            count_between(a, a + warmup)
            first_call[i] = perf_counter() - began
            began = perf_counter()
            count_between(a, a + warmup)
            second_call[i] = perf_counter() - began
            gate.wait()
        count_between(a, b)
        done[i] = perf_counter()

    workers = [threading.Thread(target=worker, args=(i, a, b)) for i, (a, b) in enumerate(chunks)]
    began = perf_counter()
    for w in workers:
        w.start()
    if warm:
        gate.wait()
        began = perf_counter()
    for w in workers:
        w.join()
    return max(done) - began, first_call, second_call


def processes(chunks, warm, warmup):
    pipes = []
    for i, (a, b) in enumerate(chunks):
        go_r, go_w = os.pipe()
        done_r, done_w = os.pipe()
        if os.fork() == 0:
            pin(i)
            if warm:
                count_between(a, a + warmup)
            os.read(go_r, 1)
            count_between(a, b)
            os.write(done_w, b"d")
            os._exit(0)
        pipes.append((go_w, done_r))
    began = perf_counter()
    for go, _ in pipes:
        os.write(go, b"g")
    for _, done in pipes:
        os.read(done, 1)
    elapsed = perf_counter() - began
    for _ in pipes:
        os.wait()
    return elapsed


def main():
    limit, nthreads, mode, warmup = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    warm = mode == "warm"
    pin(0)
    if warm:
        count_between(1, warmup)
    began = perf_counter()
    count_between(1, limit)
    t_seq = perf_counter() - began
    chunks = parts(limit, nthreads)
    # The processes are forked after the threads have ended: their main thread's bytecode is the
    # one the sequential region warmed.
    t_par, first, second = threads(chunks, warm, warmup)
    t_ref = processes(chunks, warm, warmup)
    print(json.dumps({"version": sys.version.split()[0], "xoptions": sys._xoptions,
                      "gil": getattr(sys, "_is_gil_enabled", lambda: True)(), "range": limit,
                      "threads": nthreads, "mode": mode, "warmup": warmup, "t_seq": t_seq,
                      "t_par": t_par, "t_ref": t_ref, "speedup": t_seq / t_par,
                      "speedup_ref": t_seq / t_ref, "ratio": t_ref / t_par,
                      "first_call": first, "second_call": second}))


main()
