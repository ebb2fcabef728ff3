#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace gilguard::workload {

// The blog's setting: primes below one million (78,498 of them).
inline constexpr std::int64_t k_default_range = 1'000'000;

// The Python source of the prime-counting workload, run as `python -I -c SCRIPT RANGE THREADS
// SEQ_FIRST REFERENCE [REPEATS [MODULE...]]` (the modules are imported before timing); it writes
// one JSON line to its report channel (see child_prelude() and baseline::decode_child_report).
std::string_view prime_script();

// The half-open interval [first, last) of numbers one thread tests.
using Chunk = std::pair<std::int64_t, std::int64_t>;

// How the workload splits [1, range) over `threads` threads: contiguous chunks of range/threads
// numbers, the last one running to range. Same chunks as the blog's script, except that the
// blog leaves out each boundary number i*chunk; here chunk i starts exactly where i-1 ended.
std::vector<Chunk> split_range(std::int64_t range, int threads);

// The number of primes in [1, range), by a sieve of Eratosthenes: the answer every count the
// workload reports must equal.
std::int64_t count_primes_below(std::int64_t range);

// Trial divisions the workload performs for each chunk of split_range(range, threads): a prime
// p costs isqrt(p) - 1 divisions, a composite n costs (smallest prime factor of n) - 1.
std::vector<std::int64_t> chunk_trial_divisions(std::int64_t range, int threads);

// The best speedup the contiguous split allows when every division costs the same and threads
// run perfectly in parallel: total work / largest chunk's work. nullopt above 10^7 (too much
// memory for the factor sieve) or when the range is empty.
std::optional<double> split_speedup_bound(std::int64_t range, int threads);

}  // namespace gilguard::workload
