# A known cause for the loss split (issue 23): an outside neighbour, a process outside gilguard's
# child tree that spins on one CPU the workers use, but only while a child of the interpreter
# INTERPRETER has more than one thread, i.e. while the threaded regions run (and their workers
# warm up). The reference processes' regions run beside an idle CPU, so the threads lose time
# against them, and that loss is the machine's, not the code's.
#
#   python3 neighbour.py INTERPRETER CPU
#
# Prints "ready" once pinned. It finds `gilguard run` processes in /proc every 0.1 s and reads
# their children every millisecond (/proc/PID/task/*/children), so it costs a few percent of
# its CPU when idle; it runs until it is killed.
import os
import sys
import time

target = os.fsencode(sys.argv[1])
os.sched_setaffinity(0, {int(sys.argv[2])})
print("ready", flush=True)


def argv_of(pid):
    try:
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def gilguards():
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            args = argv_of(name)
            if len(args) > 1 and args[0].endswith(b"gilguard") and args[1] == b"run":
                found.append(name)
    return found


def children_of(pid):
    found = []
    try:
        for task in os.listdir("/proc/%s/task" % pid):
            with open("/proc/%s/task/%s/children" % (pid, task)) as f:
                found.extend(f.read().split())
    except OSError:
        pass
    return found


def threaded_child(parents, known):
    for parent in parents:
        for child in children_of(parent):
            if child not in known:
                args = argv_of(child)
                known[child] = bool(args) and args[0] == target
            if known[child]:
                try:
                    if len(os.listdir("/proc/%s/task" % child)) > 1:
                        return True
                except OSError:
                    pass
    return False


parents, looked, known = [], 0.0, {}
while True:
    now = time.monotonic()
    if now - looked > 0.1:
        parents, looked = gilguards(), now
        if len(known) > 10000:
            known = {}
    if threaded_child(parents, known):
        end = time.monotonic() + 0.005
        while time.monotonic() < end:
            pass
    else:
        time.sleep(0.001)
