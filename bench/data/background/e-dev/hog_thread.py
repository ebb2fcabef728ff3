import threading


def _spin():
    x = 0
    while True:
        x += 1


threading.Thread(target=_spin, name="spinner", daemon=True).start()


def workload(i):
    return sum(j * j for j in range(200)) + i
