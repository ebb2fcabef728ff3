"""A workload file a maintainer of scalepkg would write: gilguard calls workload(i) for every
index of a range, sequentially and split over threads, and compares the results."""

import scalepkg


def workload(i):
    return scalepkg.work(i)
