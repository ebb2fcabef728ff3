#include "gilguard/workload/primes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>

#include "gilguard/workload/prelude.hpp"

namespace gilguard::workload {
namespace {

// Written for gilguard (not taken from the blog): the same method, trial division up to the
// integer square root, sequentially and over contiguous chunks in threads; with REFERENCE = 1
// also over the same chunks in forked single-threaded processes (the same-machine reference);
// with REPEATS > 1 (and no reference) the sequential and threaded regions alternate that often.
// It runs after child_prelude(): the chunks, the timed regions with their CPU placement and
// readings, the reference's zygote and the report line come from there. Warnings raised while
// importing or working (such as the RuntimeWarning a free-threaded build emits when a module
// re-enables the GIL) are recorded and reported instead of printed.
constexpr std::string_view k_script = R"PY(
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


# The prime count of each region (measure_repeated keeps the regions apart).
def sequential(limit):
    return sequential_region(count_between, 1, limit)


def threaded(limit, nthreads):
    counts, elapsed, seconds, load, _ = threaded_region(count_between, chunks(1, limit, nthreads))
    return sum(counts), elapsed, seconds, load


def measure(limit, nthreads, seq_first, zygote):
    report = measure_regions(count_between, 1, limit, chunks(1, limit, nthreads), seq_first,
                             zygote, sum)
    report["workload"] = "primes"
    return report


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


# What this script and the prelude use, imported as globals, then the --import modules: the work
# of one worker. The main process calls it inside its WarningLog block, each reference worker
# (Zygote) in its own process.
def load_work():
    global importlib, isqrt, json, threading, perf_counter, process_time, thread_time
    import importlib
    import json
    import threading
    from math import isqrt
    from time import perf_counter, process_time, thread_time

    for name in sys.argv[6:]:
        importlib.import_module(name)
    return count_between


limit, nthreads, seq_first = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
reference = len(sys.argv) > 4 and sys.argv[4] == "1"
repeats = int(sys.argv[5]) if len(sys.argv) > 5 else 1
# Before anything else is imported: the reference's workers are forked from this copy.
zygote = Zygote(load_work) if reference else None
with WarningLog() as caught:
    load_work()
    if repeats > 1 and not reference:
        report = measure_repeated(limit, nthreads, seq_first, repeats)
    else:
        report = measure(limit, nthreads, seq_first, zygote)
if zygote is not None:
    zygote.close()
finish(report, caught)
)PY";

std::int64_t isqrt(std::int64_t n) {
  auto r = static_cast<std::int64_t>(std::sqrt(static_cast<double>(n)));
  while (r * r > n) --r;
  while ((r + 1) * (r + 1) <= n) ++r;
  return r;
}

}  // namespace

std::string_view prime_script() {
  static const std::string script = std::string(child_prelude()) + std::string(k_script);
  return script;
}

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
