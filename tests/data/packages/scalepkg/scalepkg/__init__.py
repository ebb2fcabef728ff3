"""gilguard's test package: work(i), the hot function, calls into the C extension."""

from scalepkg._speedups import mix

# Rounds of integer mixing per call: a few microseconds in C beside the Python call around it.
STEPS = 4000


def work(i):
    """A fixed amount of work for index i; the same i always gives the same value."""
    return mix(i, STEPS) & 0xFFFF
