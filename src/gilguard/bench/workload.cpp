#include "gilguard/bench/workload.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace gilguard::bench {
namespace {

// Written for gilguard (not taken from the blog): the same method, trial division up to the
// integer square root, sequentially and over contiguous chunks in threads. Warnings raised while
// importing or working (such as the RuntimeWarning a free-threaded build emits when a module
// re-enables the GIL) are recorded and reported instead of printed.
constexpr std::string_view k_script = R"PY(
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


def sequential(limit):
    began = perf_counter()
    found = count_between(1, limit)
    return found, perf_counter() - began


# Contiguous chunks of limit // nthreads numbers; the last one runs to limit. Unlike the blog's
# split, chunk i begins exactly where chunk i - 1 ends, so no boundary number is skipped.
def parallel(limit, nthreads):
    size = limit // nthreads
    counts = [0] * nthreads
    seconds = [0.0] * nthreads

    def worker(index, first, last):
        began = perf_counter()
        counts[index] = count_between(first, last)
        seconds[index] = perf_counter() - began

    workers = []
    for i in range(nthreads):
        first = 1 + i * size
        last = limit if i == nthreads - 1 else 1 + (i + 1) * size
        workers.append(threading.Thread(target=worker, args=(i, first, last)))
    began = perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(counts), perf_counter() - began, seconds


def measure(limit, nthreads, seq_first):
    if seq_first:
        count_seq, t_seq = sequential(limit)
        count_par, t_par, thread_times = parallel(limit, nthreads)
    else:
        count_par, t_par, thread_times = parallel(limit, nthreads)
        count_seq, t_seq = sequential(limit)
    return {
        "workload": "primes",
        "range": limit,
        "threads": nthreads,
        "seq_first": seq_first,
        "count_seq": count_seq,
        "count_par": count_par,
        "t_seq": t_seq,
        "t_par": t_par,
        "thread_times": thread_times,
    }


def describe(w):
    if issubclass(w.category, RuntimeWarning):
        return str(w.message)
    return w.category.__name__ + ": " + str(w.message)


limit, nthreads, seq_first = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import json
    import threading
    from math import isqrt
    from time import perf_counter

    report = measure(limit, nthreads, seq_first)
gil_probe = getattr(sys, "_is_gil_enabled", None)
report["gil_enabled"] = gil_probe() if gil_probe is not None else None
report["warnings"] = [describe(w) for w in caught]
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

std::string_view workload_script() { return k_script; }

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

}  // namespace gilguard::bench
