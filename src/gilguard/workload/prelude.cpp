#include "gilguard/workload/prelude.hpp"

namespace gilguard::workload {
namespace {

// Written for gilguard. Worker i of the threads and of the processes is pinned to the same CPU
// (distinct physical cores first), and the sequential region to the first of them. Around each
// timed region it reads the workers' run-queue delay (schedstat), steal time, CPU pressure and
// cgroup throttling, so interference from outside can be told from the code's own cost.
constexpr std::string_view k_prelude = R"PY(
import os
import resource
import sys
import warnings


# The report goes to a channel of its own, never to stdout, which the code under test shares:
# gilguard passes the write end of a pipe at the descriptor GILGUARD_REPORT_FD names. The
# channel is taken over here, before the workload, its modules or the --import ones run: the
# variable is removed, and the descriptor moved to a number drawn at random and made
# close-on-exec, so that a subprocess of the workload does not inherit it and a write to the
# announced number fails. Code in this process can still find it (docs/security.md, "Forged
# results"); gilguard accepts one report only and checks its times against what it measured of
# the child itself. Without the variable (the script run by hand) the report goes to stdout.
def report_channel():
    announced = os.environ.pop("GILGUARD_REPORT_FD", None)
    if announced is None:
        return sys.stdout
    fd = int(announced)
    try:
        import fcntl

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        top = soft if 0 < soft < 4096 else 4096
        low = 64 + int.from_bytes(os.urandom(2), "little") % max(1, top - 128)
        moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, low)
        os.close(fd)
        fd = moved
    except (OSError, ValueError):
        os.set_inheritable(fd, False)
    return os.fdopen(fd, "w")


REPORT = report_channel()


# The warnings raised while the workload imports and runs, each distinct one (category, message,
# file, line) recorded once. The "default" action lets CPython drop a repeat from the same place
# before it reaches any Python code (a look-up in the module's registry, cheaper than ignoring
# it), so a function that warns on every call is timed at about its own cost, and its warnings
# are not one record per call (a list of them once filled the report past what gilguard reads).
# The set catches the repeats the registry lets through (code that changes the filters clears
# it); past MAX_TRACKED keys a warning is counted without being compared. The report lists the
# first MAX_WARNINGS and the count.
MAX_WARNINGS = 10
MAX_TRACKED = 10000


class WarningLog:
    def __init__(self):
        self.seen = set()
        self.first = []
        self.count = 0

    def show(self, message, category, filename, lineno, file=None, line=None):
        key = (category, str(message), filename, lineno)
        if key in self.seen:
            return
        if len(self.seen) < MAX_TRACKED:
            self.seen.add(key)
        self.count += 1
        if len(self.first) < MAX_WARNINGS:
            self.first.append(key)

    def __enter__(self):
        self.saved = warnings.catch_warnings()
        self.saved.__enter__()
        warnings.simplefilter("default")
        warnings.showwarning = self.show
        return self

    def __exit__(self, *exc_info):
        return self.saved.__exit__(*exc_info)


# The CPUs this process may use, distinct physical cores first (the second SMT sibling of a core
# only after every core has one worker), so worker i of the threads and worker i of the
# processes run on the same CPU: vCPUs of one machine can differ in speed, and the two
# splits must meet the same ones.
def placement():
    try:
        allowed = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return []
    seen = {}
    keyed = []
    for cpu in allowed:
        base = "/sys/devices/system/cpu/cpu%d/topology/" % cpu
        try:
            with open(base + "physical_package_id") as f:
                package = int(f.read())
            with open(base + "core_id") as f:
                core = int(f.read())
        except (OSError, ValueError):
            package, core = 0, cpu
        rank = seen.get((package, core), 0)
        seen[(package, core)] = rank + 1
        keyed.append((rank, package, core, cpu))
    return [cpu for _, _, _, cpu in sorted(keyed)]


CPUS = placement()


# Pins the calling thread (or process) to the CPU of worker `index`.
def pin(index):
    if CPUS:
        try:
            os.sched_setaffinity(0, {CPUS[index % len(CPUS)]})
        except OSError:
            pass


# Run-queue readings: (seconds on a CPU, seconds runnable but waiting for one, minor page
# faults, voluntary and involuntary context switches) of the calling thread (`forked`: of this
# single-threaded process), the wait from the scheduler's own statistics; None where the kernel
# does not offer them. The CPU seconds come
# from the thread's own CPU clock: schedstat's run time is only brought up to date at a tick or
# a switch, so a running thread reading its own lags by up to a tick (4 ms at 250 Hz), which
# would show as background work.
def sched_times(path="/proc/thread-self/schedstat", forked=False):
    try:
        with open(path) as f:
            waited = f.read().split()[1]
        usage = resource.getrusage(resource.RUSAGE_SELF if forked else resource.RUSAGE_THREAD)
        return ((process_time() if forked else thread_time()), int(waited) / 1e9, usage.ru_minflt,
                usage.ru_nvcsw, usage.ru_nivcsw)
    except (OSError, ValueError, IndexError):
        return None


def spent(before, after):
    if before is None or after is None:
        return None
    return tuple(a - b for a, b in zip(after, before))


def cgroup_cpu_stat():
    try:
        with open("/proc/self/cgroup") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        if controllers == "":
            places = ["/sys/fs/cgroup" + path.rstrip("/"), "/sys/fs/cgroup"]
            key, scale = "throttled_usec", 1e-6
        elif "cpu" in controllers.split(","):
            root = "/sys/fs/cgroup/" + controllers
            places = [root + path.rstrip("/"), root]
            key, scale = "throttled_time", 1e-9
        else:
            continue
        for place in places:
            if os.path.exists(place + "/cpu.stat"):
                return place + "/cpu.stat", key, scale
    return None


CPU_STAT = cgroup_cpu_stat()
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

# The CPU time of this process and of everything it started, threads and processes alike: the
# code under test may burn CPU beside its timed workers, and that is its own cost, not the
# machine's. gilguard names the file of the cgroup it started this child in (GILGUARD_TREE_CPU,
# "cgroup1:PATH" or "cgroup2:PATH"); without one, this process's CPU time plus that of every
# live descendant found in /proc (one that ended is missed).
TREE_KIND, _, TREE_FILE = os.environ.get("GILGUARD_TREE_CPU", "").partition(":")
LAG_ALLOWANCE = 0.004  # seconds: one scheduler tick at 250 Hz
if TREE_KIND not in ("cgroup1", "cgroup2"):
    TREE_KIND, TREE_FILE = "proc", ""


# Seconds on a CPU of one thread of another process (or of this one), from schedstat; 0 where
# it cannot be read (the thread ended).
def ran(pid, tid):
    try:
        with open("/proc/%s/task/%s/schedstat" % (pid, tid)) as f:
            return int(f.read().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return 0.0


def task_cpu(pid):
    try:
        return sum(ran(pid, tid) for tid in os.listdir("/proc/%d/task" % pid))
    except OSError:
        return 0.0


def descendants():
    me = os.getpid()
    children = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
            parent = int(stat[stat.rindex(")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(name))
    found, todo = [], list(children.get(me, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def tree_cpu(closing=False):
    try:
        if TREE_KIND == "cgroup1":
            with open(TREE_FILE) as f:
                return int(f.read()) / 1e9
        if TREE_KIND == "cgroup2":
            with open(TREE_FILE) as f:
                for line in f:
                    name, value = line.split()
                    if name == "usage_usec":
                        return int(value) / 1e6
            return None
    except (OSError, ValueError):
        return None
    # This process's own clock is read on the region's side of the scan (`closing`: the scan
    # comes after it), so that the scan's cost falls outside the region at both ends.
    own = process_time() if closing else 0.0
    others = sum(task_cpu(pid) for pid in descendants())
    return others + (own if closing else process_time())


# What burned CPU in this child besides its main thread, over its whole life: its other live
# threads and every live process it started, the three largest as [kind, name, seconds].
def burners():
    found = []
    names = {t.native_id: t.name for t in threading.enumerate()
             if getattr(t, "native_id", None) is not None}
    me = os.getpid()
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        tasks = []
    for tid in tasks:
        if int(tid) != me:
            found.append(["thread", names.get(int(tid)) or comm(me, tid), ran(me, tid)])
    if TREE_KIND != "proc":
        try:
            with open(os.path.join(os.path.dirname(TREE_FILE), "cgroup.procs")) as f:
                others = [int(p) for p in f.read().split() if int(p) != me]
        except (OSError, ValueError):
            others = []
    else:
        others = descendants()
    for pid in others:
        found.append(["process", "%s (pid %d)" % (comm(pid), pid), task_cpu(pid)])
    found.sort(key=lambda b: -b[2])
    return [b for b in found[:3] if b[2] >= 0.005]


def comm(pid, tid=None):
    path = "/proc/%d/comm" % pid if tid is None else "/proc/%d/task/%s/comm" % (pid, tid)
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return "?"


# Machine-wide counters around a timed region, in seconds: steal (all CPUs together), CPU
# pressure ("some"), time this cgroup was throttled, this process's CPU time and its tree's.
def counters(closing=False):
    tree = tree_cpu(True) if closing else None
    steal = pressure = throttled = None
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        steal = int(fields[8]) / TICK
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open("/proc/pressure/cpu") as f:
            for line in f:
                if line.startswith("some"):
                    pressure = int(line.rsplit("total=", 1)[1]) / 1e6
    except (OSError, ValueError, IndexError):
        pass
    if CPU_STAT is not None:
        try:
            with open(CPU_STAT[0]) as f:
                for line in f:
                    name, value = line.split()
                    if name == CPU_STAT[1]:
                        throttled = int(value) * CPU_STAT[2]
        except (OSError, ValueError):
            pass
    if not closing:
        tree = tree_cpu()
    return perf_counter(), process_time(), steal, pressure, throttled, tree


# What disturbed a region (`harness`: CPU seconds gilguard's own code spent in the window outside
# the workers' clocks): its workers' run-queue delay, the CPU time this process spent in
# threads other than the workers and the CPU its whole tree (threads and processes it started)
# spent outside the workers (both its own cost, not interference), steal, pressure, throttling.
def region_load(before, after, worker_times, workers_in_process, harness=0.0):
    def delta(i):
        if before[i] is None or after[i] is None:
            return None
        return after[i] - before[i]

    known = [t for t in worker_times if t is not None]
    load = {
        "wall": after[0] - before[0],
        "workers": len(worker_times),
        "wait": sum(t[1] for t in known) if len(known) == len(worker_times) else None,
        "other_cpu": None,
        "steal": delta(2),
        "pressure": delta(3),
        "throttled": delta(4),
        "faults": sum(t[2] for t in known) if len(known) == len(worker_times) else None,
        "voluntary_switches": (sum(t[3] for t in known)
                               if len(known) == len(worker_times) else None),
        "involuntary_switches": (sum(t[4] for t in known)
                                 if len(known) == len(worker_times) else None),
    }
    load["background"] = None
    load["workers_cpu"] = None
    if len(known) == len(worker_times):
        workers_cpu = sum(t[0] for t in known)
        load["workers_cpu"] = workers_cpu
        own = delta(1) - (workers_cpu if workers_in_process else 0.0)
        load["other_cpu"] = max(own, 0.0)
        # The child's whole tree outside its workers: other threads, other processes; less what
        # this harness itself spent in the window (`harness`: waking the workers, waiting for
        # them, reading their replies), which is neither the code's nor the machine's.
        # A running task's CPU reaches the cgroup's counter (or a descendant's schedstat) only at
        # a scheduler tick or a switch, so each reading may lag by a tick: up to LAG_ALLOWANCE is
        # the reading's own error, not work (a spinning hog burns far more in any region).
        tree = delta(5)
        if tree is not None:
            load["background"] = max(tree - workers_cpu - harness - LAG_ALLOWANCE, 0.0)
    return load


# [start, limit) cut into `nthreads` contiguous (first, last) chunks of (limit // nthreads)
# numbers, the last one running to limit.
def chunks(start, limit, nthreads):
    size = limit // nthreads
    return [(start + i * size, limit if i == nthreads - 1 else start + (i + 1) * size)
            for i in range(nthreads)]


# The part of [first, last) a worker runs before its timed region to warm up: the first 1% of
# it (at least one item). Every timed worker (the sequential region's thread, each thread and
# each forked process) is started and runs its warm-up part first, so the regions compare steady
# states and none of them pays a start-up the others do not. What that start-up is differs by
# version: since 3.14 a free-threaded build keeps specialized bytecode per thread (-X tlbc), so a
# new thread starts unspecialized while a forked process inherits its parent's copy (3.13's
# free-threaded build does not specialize, a GIL build shares one copy); measured, that costs a
# thread 0.01-0.03 ms, and what cost the most was starting the threads themselves inside the
# timed region (docs/benchmark-results.md, "Python 3.14").
def warm_part(first, last):
    return first, min(last, first + max(1, (last - first) // 100))


# Runs the warm-up part of [first, last) twice: (seconds of the first call, of the second). Their
# difference is what a thread pays for starting on cold bytecode and caches.
def warm_up(work, first, last):
    a, b = warm_part(first, last)
    began = perf_counter()
    work(a, b)
    cold = perf_counter() - began
    began = perf_counter()
    work(a, b)
    return cold, perf_counter() - began


# `work(first, last)` on the first worker's CPU, warmed up first: (its result, seconds, the
# region's readings).
def sequential_region(work, first, last):
    pin(0)
    warm_up(work, first, last)
    before = counters()
    mine = sched_times()
    began = perf_counter()
    result = work(first, last)
    seconds = perf_counter() - began
    mine = spent(mine, sched_times())
    return result, seconds, region_load(before, counters(True), [mine], True)


# `work(first, last)` over each (first, last) of `parts` in a thread of its own, worker i pinned
# to the CPU of worker i. The threads start, warm up on their own part (warm_up) and wait at a
# barrier; the region runs from the first worker's start after the barrier to the last one's end,
# read by the workers themselves (this thread shares worker 0's CPU and, on a GIL build, the GIL,
# so it may wake from the barrier late), and measures steady-state scaling, not thread start-up.
# Returns (their results, the region's seconds, each worker's seconds, the region's readings,
# each worker's (cold, warm, start) seconds: its warm-up part's first and second call, and the
# time from the first start() to the thread's first instruction). An exception in a worker is
# raised again here, after every worker has ended, so the child fails with its own traceback
# instead of a partial result.
def threaded_region(work, parts):
    results = [None] * len(parts)
    stamps = [None] * len(parts)
    sched = [None] * len(parts)
    warm = [None] * len(parts)
    woke = [0.0] * len(parts)  # each worker's CPU from the go signal to its clock's start
    errors = []
    # All warm, then go: the readings before the region are taken between the two, so the
    # warm-up's CPU time is not counted as the region's.
    warm_gate = threading.Barrier(len(parts) + 1)
    go_gate = threading.Barrier(len(parts) + 1)

    def worker(index, first, last):
        entered = perf_counter()
        pin(index)
        try:
            warm[index] = warm_up(work, first, last) + (entered - launched,)
        except BaseException as error:
            errors.append(error)
        warm_gate.wait()
        lead = thread_time()
        go_gate.wait()
        if errors:
            return
        mine = sched_times()
        if mine is not None:
            woke[index] = mine[0] - lead
        began = perf_counter()
        try:
            results[index] = work(first, last)
        except BaseException as error:
            errors.append(error)
        stamps[index] = (began, perf_counter())
        sched[index] = spent(mine, sched_times())

    workers = [threading.Thread(target=worker, args=(i, a, b)) for i, (a, b) in enumerate(parts)]
    launched = perf_counter()
    for w in workers:
        w.start()
    warm_gate.wait()
    before = counters()
    main_cpu = thread_time()
    go_gate.wait()
    for w in workers:
        w.join()
    harness = thread_time() - main_cpu + sum(woke)
    after = counters(True)
    if errors:
        raise errors[0]
    elapsed = max(end for _, end in stamps) - min(begin for begin, _ in stamps)
    seconds = [end - begin for begin, end in stamps]
    return results, elapsed, seconds, region_load(before, after, sched, True, harness), warm


# The regions of one child in their order: sequential over [first, limit) (when seq_first), then
# the two splits of `parts` in the order A B B A (threads, processes, processes, threads; the
# threads alone without the reference), then sequential (when not seq_first). Each split's time
# is the mean of its two regions, so whatever running first or second costs (a warmer cache, a
# CPU's clock ramping) falls on both splits alike. `zygote` (a Zygote, or None for no reference)
# forks each set of reference processes just before its region. `fold` turns the workers'
# results into the region's one result. Returns the report's fields.
def measure_regions(work, first, limit, parts, seq_first, zygote, fold):
    if seq_first:
        count_seq, t_seq, seq_load = sequential_region(work, first, limit)
    threads = [threaded_region(work, parts)]
    if zygote is not None:
        found = [processes(zygote, parts), processes(zygote, parts)]
        threads.append(threaded_region(work, parts))
    if not seq_first:
        count_seq, t_seq, seq_load = sequential_region(work, first, limit)

    def mean(values):
        return sum(values) / len(values)

    # A result that differs from the sequential one is the one reported, so a wrong answer in
    # either region is never hidden.
    def result_of(results):
        folded = [fold(r) for r in results]
        return next((r for r in folded if r != count_seq), folded[0])

    report = {"range": limit, "threads": len(parts), "seq_first": seq_first,
              "count_seq": count_seq, "count_par": result_of([t[0] for t in threads]),
              "t_seq": t_seq, "t_par": mean([t[1] for t in threads]),
              "thread_times": [mean(times) for times in zip(*[t[2] for t in threads])],
              "thread_warm_up": threads[0][4], "cpus": len(CPUS) or os.cpu_count(),
              "loads": {"seq": seq_load, "par": combined_load([t[3] for t in threads])}}
    if zygote is not None:
        report.update(count_ref=result_of([f[0] for f in found]), t_ref=mean([f[1] for f in found]),
                      ref_times=[mean(times) for times in zip(*[f[2] for f in found])])
        report["loads"]["ref"] = combined_load([f[3] for f in found])
    return report


# Readings of several regions as one: every amount summed (None if any is), and how many.
def combined_load(loads):
    out = {"workers": loads[0]["workers"], "regions": len(loads)}
    for key in ("wall", "wait", "other_cpu", "steal", "pressure", "throttled", "background",
                "faults", "workers_cpu", "voluntary_switches", "involuntary_switches"):
        values = [load.get(key) for load in loads]
        out[key] = None if any(v is None for v in values) else sum(values)
    return out


# The same-machine reference: `work(first, last)` over each (first, last) of a split in a
# single-threaded process of its own. They share the machine (cores, caches, clock, neighbours)
# but not the interpreter's threading. The processes come from a zygote: a copy of this process
# forked at the very start of the child, before the workload, its modules or the --import ones
# are imported, so while it has one thread and no code under test has run. A copy forked later
# would hold the locks and queues of threads that do not exist in it (a BLAS or OpenMP pool, a
# concurrent.futures executor, a thread a module starts at import) and could hang or compute
# something else. Each worker the zygote forks loads the workload itself (`load_work`, the
# script's own loader: the --import modules, the workload, its setup), then warms up on its own
# part as the threads do (warm_up) and says so with one byte before it waits to start, all
# outside the timing. The zygote takes its orders, each with the worker's end of a socket pair,
# on a socket of its own; it does not hold the report channel, nor do its workers.
class Zygote:
    def __init__(self, load_work):
        import socket

        self.socket = socket
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.pid = os.fork()
        if self.pid == 0:
            status = 1
            try:
                mine.close()
                if REPORT is not sys.stdout:
                    REPORT.close()
                zygote_serve(socket, theirs, load_work)
                status = 0
            except BaseException:
                import traceback

                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(status)
        theirs.close()
        self.channel = mine

    # Forks one worker for (first, last), pinned as worker `index`: the descriptor of this
    # process's end of its socket pair.
    def fork(self, index, first, last):
        mine, theirs = self.socket.socketpair()
        self.socket.send_fds(self.channel, [b"fork %d %d %d" % (index, first, last)],
                             [theirs.fileno()])
        theirs.close()
        return mine.detach()

    # Returns once every worker forked so far has exited and been reaped.
    def reap(self):
        self.channel.send(b"reap")
        if self.channel.recv(16) != b"reaped":
            raise RuntimeError("the reference's zygote ended before its workers")

    # Ends the zygote by telling it to, not by closing the channel: a process the code under test
    # forked here (a daemon started at import) holds a copy of this end, so the zygote would
    # never see the channel close.
    def close(self):
        self.channel.send(b"exit")
        self.channel.close()
        os.waitpid(self.pid, 0)


# The zygote's loop: forks a reference worker for each "fork INDEX FIRST LAST" order, reaps them
# all for "reap", and ends on "exit" (or when every copy of this process's end is closed).
def zygote_serve(socket, channel, load_work):
    forked = []
    while True:
        message, fds, _, _ = socket.recv_fds(channel, 256, 1)
        if not message or message == b"exit":
            for pid in forked:
                os.waitpid(pid, 0)
            return
        if message == b"reap":
            for pid in forked:
                os.waitpid(pid, 0)
            forked = []
            channel.send(b"reaped")
            continue
        index, first, last = (int(v) for v in message.split()[1:])
        os.set_inheritable(fds[0], False)
        pid = os.fork()
        if pid == 0:
            channel.close()
            os._exit(reference_worker(fds[0], index, first, last, load_work))
        os.close(fds[0])
        forked.append(pid)


# One reference worker (see Zygote), talking on `fd`: "r" once loaded and warm, then its reply
# line after "g". A worker that is never told to start (this process failed first) exits
# without working; one whose loading or work raises prints the traceback and exits without a
# result. Returns its exit status.
def reference_worker(fd, index, first, last, load_work):
    try:
        pin(index)
        # Warnings are the main process's to report: it raises the same ones.
        with WarningLog():
            work = load_work()
            warm_up(work, first, last)
            os.write(fd, b"r")
            lead = process_time()
            if os.read(fd, 1) == b"g":
                mine = sched_times("/proc/self/schedstat", True)
                began = perf_counter()
                result = work(first, last)
                ended = perf_counter()
                done = sched_times("/proc/self/schedstat", True)
                reply = [result, ended - began, spent(mine, done), began, ended]
                # This worker's CPU outside its clock: waking, and writing the reply.
                wake = mine[0] - lead if mine is not None else 0.0
                tail = process_time() - done[0] if done is not None else 0.0
                os.write(fd, json.dumps(reply + [wake + tail]).encode() + b"\n")
                # Exit only once the region's readings are taken: tearing down this copy of the
                # address space is no part of the region.
                os.read(fd, 1)
        return 0
    except BaseException:
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        return 1


# The reference region over `parts`: the zygote forks a worker for each, they load and warm up,
# then start together and are waited for: (their results, the region's seconds, each worker's
# seconds, the region's readings). The region runs from the first worker's start to the last
# one's end, read by the workers as the threads' are (perf_counter is CLOCK_MONOTONIC on Linux:
# one clock for every process).
def processes(zygote, parts):
    workers = [zygote.fork(index, first, last) for index, (first, last) in enumerate(parts)]
    # Each worker says "r" once warm; one that died first says nothing and fails below.
    for fd in workers:
        os.read(fd, 1)
    before = counters()
    main_cpu = thread_time()
    for fd in workers:
        os.write(fd, b"g")
    replies = []
    for fd in workers:
        data = b""
        while not data.endswith(b"\n") and (chunk := os.read(fd, 65536)):
            data += chunk
        replies.append(data)
    harness = thread_time() - main_cpu
    after = counters(True)
    # Closing every socket first lets every worker exit; only then are they reaped.
    for fd in workers:
        os.close(fd)
    zygote.reap()
    if not all(replies):
        raise RuntimeError("a reference worker process ended without a result")
    results = [json.loads(r) for r in replies]
    elapsed = max(r[4] for r in results) - min(r[3] for r in results)
    sched = [tuple(r[2]) if r[2] is not None else None for r in results]
    harness += sum(r[5] for r in results)
    load = region_load(before, after, sched, False, harness)
    return [r[0] for r in results], elapsed, [r[1] for r in results], load


# A RuntimeWarning as its message (CPython's GIL warnings are read by their text), any other
# warning as "Category: message (file:line)".
def describe(category, message, filename, lineno):
    if issubclass(category, RuntimeWarning):
        return message
    return "%s: %s (%s:%s)" % (category.__name__, message, os.path.basename(filename), lineno)


# Writes `report` as the child's one JSON line to the report channel, with the GIL state at the
# end and the warnings `caught` (a WarningLog) while importing and working.
def finish(report, caught):
    gil_probe = getattr(sys, "_is_gil_enabled", None)
    report["gil_enabled"] = gil_probe() if gil_probe is not None else None
    report["warnings"] = [describe(*key) for key in caught.first]
    report["distinct_warnings"] = caught.count
    report["background_by"] = burners()
    # A set sys.flags.gil (PYTHON_GIL or -X gil) hides modules that need the GIL: CPython then
    # neither warns nor switches it on. A build with the GIL always reports 1. The note goes
    # first, ahead of the warnings gilguard may cut.
    if getattr(sys.flags, "gil", None) is not None:
        import sysconfig

        if sysconfig.get_config_var("Py_GIL_DISABLED"):
            report["warnings"].insert(0,
                "sys.flags.gil is %d (PYTHON_GIL or -X gil): CPython neither warns about nor "
                "switches on the GIL for a module that needs it, so this run cannot name such "
                "modules; unset PYTHON_GIL to check them" % sys.flags.gil)
    REPORT.write(json.dumps(report) + "\n")
    REPORT.flush()
)PY";

}  // namespace

std::string_view child_prelude() { return k_prelude; }

std::vector<std::string> script_argv(const std::filesystem::path& python,
                                     const std::optional<std::string>& gil_override,
                                     std::string_view script, std::vector<std::string> args,
                                     const std::vector<std::string>& imports) {
  std::vector<std::string> argv{python.string(), "-I"};
  if (gil_override) argv.insert(argv.end(), {"-X", "gil=" + *gil_override});
  argv.emplace_back("-c");
  argv.emplace_back(script);
  argv.insert(argv.end(), std::make_move_iterator(args.begin()),
              std::make_move_iterator(args.end()));
  argv.insert(argv.end(), imports.begin(), imports.end());
  return argv;
}

}  // namespace gilguard::workload
