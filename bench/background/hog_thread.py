# A user workload whose module starts a thread at import that spins beside the timed workers
# (issue 20: background work the code under test starts must fail the check).
import threading


def _spin():
    n = 0
    while True:
        n += 1


threading.Thread(target=_spin, name="spinner", daemon=True).start()


def workload(i):
    return sum(j * j for j in range(200)) + i
