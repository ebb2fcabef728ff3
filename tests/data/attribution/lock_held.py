# A known cause for the loss split (issue 23): each call holds one process-wide threading.Lock
# for four fifths of its steps. Threads of the free-threaded build queue on it and park (a hold
# of a few hundred microseconds outlasts the lock's short spin); the reference processes have a
# lock each and never wait. The threads' loss must read as waiting.
import threading

STEPS = 4000
LOCKED = STEPS * 4 // 5
LOCK = threading.Lock()


def step(x, k):
    return (x * 1103515245 + 12345 + k) % 2147483648


def workload(i):
    x = i
    for k in range(STEPS - LOCKED):
        x = step(x, k)
    with LOCK:
        for k in range(LOCKED):
            x = step(x, k)
    return x % 1000
