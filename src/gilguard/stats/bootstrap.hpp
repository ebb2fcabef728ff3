#pragma once

#include <cstdint>
#include <random>
#include <vector>

// Bootstrap confidence intervals over whole rounds (Efron & Tibshirani 1993, "An Introduction to
// the Bootstrap", Chapman & Hall, ch. 13 the percentile interval), made deterministic: a fixed
// seed and a PRNG whose output the C++ standard pins down, so one data set always gives one
// interval on every standard library.
namespace gilguard::stats {

// gilguard's default bootstrap seed ("gilguard" in ASCII).
inline constexpr std::uint64_t k_default_seed = 0x67696c6775617264ULL;

// A uniform integer in [0, bound) from a 64-bit engine by rejection sampling (no modulo bias).
// Unlike std::uniform_int_distribution, whose algorithm each standard library picks, this gives
// the same sequence everywhere, since std::mt19937_64's output is fixed by the standard.
// bound must be positive.
std::uint64_t uniform_index(std::mt19937_64& engine, std::uint64_t bound);

// A two-sided interval on the scale of the data it was computed from.
struct Interval {
  double low = 0;
  double high = 0;
};

// How to bootstrap.
struct BootstrapOptions {
  double confidence = 0.99;  // two-sided coverage
  int resamples = 4000;      // bootstrap replicates B
  std::uint64_t seed = k_default_seed;
  // Hesterberg's expanded percentile interval (Hesterberg 2015, "What teachers should know about
  // the bootstrap", The American Statistician 69(4):371-386, sec. 6.4): the tail probability is
  // shrunk so that Phi^-1(alpha'/2) = sqrt(n/(n-1)) t_{n-1, alpha/2}, which corrects the plain
  // percentile interval's narrowness for small n.
  bool expanded = true;
};

// The percentile bootstrap interval of the Hodges-Lehmann estimate of values: resample the n
// values (one per round) with replacement B times, take the HL estimate of each resample, and
// return the alpha'/2 and 1 - alpha'/2 quantiles (Hyndman & Fan type 7) of those B estimates.
// One value gives the degenerate interval [x, x]; no values gives NaN bounds.
Interval hodges_lehmann_interval(const std::vector<double>& values,
                                 const BootstrapOptions& options = {});

// The two-sided tail probability the percentile interval uses for n rounds at this confidence:
// 1 - confidence, or Hesterberg's expanded alpha' when options.expanded (n >= 2).
double percentile_tail(std::size_t n, const BootstrapOptions& options);

}  // namespace gilguard::stats
