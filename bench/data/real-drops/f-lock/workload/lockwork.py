# bench/real_drops.sh: a CPU-bound function holding one process-wide lock for a share of each call.
import threading

SHARE = 0.405  # the share of each call's steps taken under the lock
STEPS = 400
LOCKED = round(STEPS * SHARE)
LOCK = threading.Lock()


def step(x, k):
    return (x * 1103515245 + 12345 + k) % 2147483648


def workload(i):
    x = i
    for k in range(STEPS - LOCKED):
        x = step(x, k)
    if LOCKED:
        with LOCK:
            for k in range(LOCKED):
                x = step(x, k)
    return x % 1000
