#include "gilguard/workload/primes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace gilguard::workload {
namespace {

// Written for gilguard (not taken from the blog): the same method, trial division up to the
// integer square root, sequentially and over contiguous chunks in threads; with REFERENCE = 1
// also over the same chunks in forked single-threaded processes (the same-machine reference);
// with REPEATS > 1 (and no reference) the sequential and threaded regions alternate that often.
// Worker i of the threads and of the processes is pinned to the same CPU (distinct physical
// cores first), and the sequential region to the first of them.
// Around each timed region it reads the workers' run-queue delay (schedstat), steal time, CPU
// pressure and cgroup throttling, so interference from outside can be told from the code's own
// cost. Warnings raised while importing or working (such as the RuntimeWarning a free-threaded
// build emits when a module re-enables the GIL) are recorded and reported instead of printed.
constexpr std::string_view k_script = R"PY(
import os
import sys
import warnings


def is_prime(n):
    if n < 2:
        return False
    for d in range(2, isqrt(n) + 1):
        if n % d == 0:
            return False
    return True


def count_between(first, last):
    found = 0
    for n in range(first, last):
        if is_prime(n):
            found += 1
    return found


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


def chunks(limit, nthreads):
    size = limit // nthreads
    out = []
    for i in range(nthreads):
        first = 1 + i * size
        out.append((first, limit if i == nthreads - 1 else 1 + (i + 1) * size))
    return out


# Run-queue readings: (seconds on a CPU, seconds runnable but waiting for one) of the calling
# thread, from the scheduler's own statistics; None where the kernel does not offer them.
def sched_times(path="/proc/thread-self/schedstat"):
    try:
        with open(path) as f:
            ran, waited = f.read().split()[:2]
        return int(ran) / 1e9, int(waited) / 1e9
    except (OSError, ValueError):
        return None


def spent(before, after):
    if before is None or after is None:
        return None
    return after[0] - before[0], after[1] - before[1]


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


# Machine-wide counters around a timed region, in seconds: steal (all CPUs together), CPU
# pressure ("some"), time this cgroup was throttled, and this process's CPU time.
def counters():
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
    return perf_counter(), process_time(), steal, pressure, throttled


# What disturbed a region: its workers' run-queue delay, the CPU time this process spent in
# threads other than the workers (its own cost, not interference), steal, pressure, throttling.
def region_load(before, after, worker_times, workers_in_process):
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
    }
    if len(known) == len(worker_times):
        own = delta(1) - (sum(t[0] for t in known) if workers_in_process else 0.0)
        load["other_cpu"] = max(own, 0.0)
    return load


def sequential(limit):
    pin(0)
    before = counters()
    mine = sched_times()
    began = perf_counter()
    found = count_between(1, limit)
    seconds = perf_counter() - began
    mine = spent(mine, sched_times())
    return found, seconds, region_load(before, counters(), [mine], True)


def threaded(limit, nthreads):
    parts = chunks(limit, nthreads)
    counts = [0] * nthreads
    seconds = [0.0] * nthreads
    sched = [None] * nthreads

    def worker(index, first, last):
        pin(index)
        mine = sched_times()
        began = perf_counter()
        counts[index] = count_between(first, last)
        seconds[index] = perf_counter() - began
        sched[index] = spent(mine, sched_times())

    workers = [threading.Thread(target=worker, args=(i, a, b)) for i, (a, b) in enumerate(parts)]
    before = counters()
    began = perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = perf_counter() - began
    return sum(counts), elapsed, seconds, region_load(before, counters(), sched, True)


# The same-machine reference: the same chunks in single-threaded processes forked from this
# one (before any thread exists), started together. They share the machine (cores, caches,
# clock, neighbours) but not the interpreter's threading.
def fork_workers(limit, nthreads):
    workers = []
    for index, (first, last) in enumerate(chunks(limit, nthreads)):
        go_read, go_write = os.pipe()
        done_read, done_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                os.close(go_write)
                os.close(done_read)
                pin(index)
                os.read(go_read, 1)
                mine = sched_times("/proc/self/schedstat")
                began = perf_counter()
                found = count_between(first, last)
                seconds = perf_counter() - began
                mine = spent(mine, sched_times("/proc/self/schedstat"))
                os.write(done_write, json.dumps([found, seconds, mine]).encode())
                status = 0
            finally:
                os._exit(status)
        os.close(go_read)
        os.close(done_write)
        workers.append((pid, go_write, done_read))
    return workers


def processes(workers):
    before = counters()
    began = perf_counter()
    for _, go, _ in workers:
        os.write(go, b"g")
    replies = []
    for _, _, done in workers:
        data = b""
        while chunk := os.read(done, 65536):
            data += chunk
        replies.append(data)
    elapsed = perf_counter() - began
    after = counters()
    for pid, go, done in workers:
        os.close(go)
        os.close(done)
        os.waitpid(pid, 0)
    if not all(replies):
        raise RuntimeError("a reference worker process ended without a result")
    results = [json.loads(r) for r in replies]
    sched = [tuple(r[2]) if r[2] is not None else None for r in results]
    load = region_load(before, after, sched, False)
    return sum(r[0] for r in results), elapsed, [r[1] for r in results], load


def measure(limit, nthreads, seq_first, reference):
    report = {"workload": "primes", "range": limit, "threads": nthreads, "seq_first": seq_first}
    if seq_first:
        count_seq, t_seq, seq_load = sequential(limit)
    pool = fork_workers(limit, nthreads) if reference else None
    count_par, t_par, thread_times, par_load = threaded(limit, nthreads)
    if not seq_first:
        count_seq, t_seq, seq_load = sequential(limit)
    report.update(count_seq=count_seq, count_par=count_par, t_seq=t_seq, t_par=t_par,
                  thread_times=thread_times, cpus=len(CPUS) or os.cpu_count(),
                  loads={"seq": seq_load, "par": par_load})
    if pool is not None:
        count_ref, t_ref, ref_times, ref_load = processes(pool)
        report.update(count_ref=count_ref, t_ref=t_ref, ref_times=ref_times)
        report["loads"]["ref"] = ref_load
    return report


# Readings of several repetitions of a region as one: every amount summed (None if any is).
def combined_load(loads):
    out = {"workers": loads[0]["workers"]}
    for key in ("wall", "wait", "other_cpu", "steal", "pressure", "throttled"):
        values = [load[key] for load in loads]
        out[key] = None if any(v is None for v in values) else sum(values)
    return out


# REPEATS > 1: the sequential and the threaded region alternate that many times in this one
# process, tens of milliseconds apart at small ranges, and the report gives their mean times. A
# vCPU's speed moves within seconds; regions this close meet the same speed, and the process
# start-up is paid once instead of once per pair.
def measure_repeated(limit, nthreads, seq_first, repeats):
    seqs, pars = [], []
    for _ in range(repeats):
        if seq_first:
            seqs.append(sequential(limit))
        pars.append(threaded(limit, nthreads))
        if not seq_first:
            seqs.append(sequential(limit))
    # A count that differs from the first is the one reported, so a wrong answer is never hidden.
    count_seq = next((c for c, _, _ in seqs if c != seqs[0][0]), seqs[0][0])
    count_par = next((c for c, _, _, _ in pars if c != pars[0][0]), pars[0][0])
    thread_times = [sum(p[2][i] for p in pars) / repeats for i in range(nthreads)]
    return {"workload": "primes", "range": limit, "threads": nthreads, "seq_first": seq_first,
            "repeats": repeats, "count_seq": count_seq, "count_par": count_par,
            "t_seq": sum(s[1] for s in seqs) / repeats, "t_par": sum(p[1] for p in pars) / repeats,
            "thread_times": thread_times, "cpus": len(CPUS) or os.cpu_count(),
            "loads": {"seq": combined_load([s[2] for s in seqs]),
                      "par": combined_load([p[3] for p in pars])}}


def describe(w):
    if issubclass(w.category, RuntimeWarning):
        return str(w.message)
    return w.category.__name__ + ": " + str(w.message)


limit, nthreads, seq_first = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
reference = len(sys.argv) > 4 and sys.argv[4] == "1"
repeats = int(sys.argv[5]) if len(sys.argv) > 5 else 1
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import importlib
    import json
    import threading
    from math import isqrt
    from time import perf_counter, process_time

    for name in sys.argv[6:]:
        importlib.import_module(name)
    if repeats > 1 and not reference:
        report = measure_repeated(limit, nthreads, seq_first, repeats)
    else:
        report = measure(limit, nthreads, seq_first, reference)
gil_probe = getattr(sys, "_is_gil_enabled", None)
report["gil_enabled"] = gil_probe() if gil_probe is not None else None
report["warnings"] = [describe(w) for w in caught]
# A set sys.flags.gil (PYTHON_GIL or -X gil) hides modules that need the GIL: CPython then
# neither warns nor switches it on. A build with the GIL always reports 1.
if getattr(sys.flags, "gil", None) is not None:
    import sysconfig

    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        report["warnings"].append(
            "sys.flags.gil is %d (PYTHON_GIL or -X gil): CPython neither warns about nor "
            "switches on the GIL for a module that needs it, so this run cannot name such "
            "modules; unset PYTHON_GIL to check them" % sys.flags.gil)
sys.stdout.write(json.dumps(report) + "\n")
sys.stdout.flush()
)PY";

std::int64_t isqrt(std::int64_t n) {
  auto r = static_cast<std::int64_t>(std::sqrt(static_cast<double>(n)));
  while (r * r > n) --r;
  while ((r + 1) * (r + 1) <= n) ++r;
  return r;
}

}  // namespace

std::string_view prime_script() { return k_script; }

std::vector<Chunk> split_range(std::int64_t range, int threads) {
  std::vector<Chunk> chunks;
  if (threads < 1) return chunks;
  const std::int64_t size = range / threads;
  for (int i = 0; i < threads; ++i) {
    const std::int64_t first = 1 + i * size;
    const std::int64_t last = i == threads - 1 ? range : 1 + (i + 1) * size;
    chunks.emplace_back(first, last);
  }
  return chunks;
}

std::int64_t count_primes_below(std::int64_t range) {
  if (range <= 2) return 0;
  std::vector<bool> composite(static_cast<std::size_t>(range), false);
  std::int64_t count = 0;
  for (std::int64_t n = 2; n < range; ++n) {
    if (composite[static_cast<std::size_t>(n)]) continue;
    ++count;
    for (std::int64_t m = n * n; m < range; m += n) composite[static_cast<std::size_t>(m)] = true;
  }
  return count;
}

std::vector<std::int64_t> chunk_trial_divisions(std::int64_t range, int threads) {
  const auto chunks = split_range(range, threads);
  std::vector<std::int64_t> work(chunks.size(), 0);
  if (range <= 2) return work;
  // Smallest prime factor of every n below range (0 while unknown, i.e. for primes).
  std::vector<std::uint32_t> smallest(static_cast<std::size_t>(range), 0);
  for (std::int64_t p = 2; p * p < range; ++p) {
    if (smallest[static_cast<std::size_t>(p)] != 0) continue;
    for (std::int64_t m = p * p; m < range; m += p)
      if (smallest[static_cast<std::size_t>(m)] == 0)
        smallest[static_cast<std::size_t>(m)] = static_cast<std::uint32_t>(p);
  }
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    for (std::int64_t n = std::max<std::int64_t>(chunks[i].first, 2); n < chunks[i].second; ++n) {
      const auto factor = smallest[static_cast<std::size_t>(n)];
      work[i] += factor == 0 ? isqrt(n) - 1 : static_cast<std::int64_t>(factor) - 1;
    }
  }
  return work;
}

std::optional<double> split_speedup_bound(std::int64_t range, int threads) {
  if (range > 10'000'000 || range <= 2 || threads < 1) return std::nullopt;
  const auto work = chunk_trial_divisions(range, threads);
  const auto total = std::accumulate(work.begin(), work.end(), std::int64_t{0});
  const auto largest = *std::max_element(work.begin(), work.end());
  if (largest == 0) return std::nullopt;
  return static_cast<double>(total) / static_cast<double>(largest);
}

}  // namespace gilguard::workload
