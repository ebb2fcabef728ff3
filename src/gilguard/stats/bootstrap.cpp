#include "gilguard/stats/bootstrap.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

#include "gilguard/stats/estimators.hpp"

namespace gilguard::stats {

std::uint64_t uniform_index(std::mt19937_64& engine, std::uint64_t bound) {
  // Accept draws below the largest multiple of bound that fits in 2^64, then reduce: each residue
  // is then equally likely. (2^64 - bound) % bound == 2^64 % bound in unsigned arithmetic.
  const std::uint64_t excess = (0 - bound) % bound;
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - excess;
  while (true) {
    const std::uint64_t draw = engine();
    if (draw <= limit) return draw % bound;
  }
}

double percentile_tail(std::size_t n, const BootstrapOptions& options) {
  const double alpha = 1 - options.confidence;
  if (!options.expanded || n < 2) return alpha;
  const boost::math::students_t t_dist(static_cast<double>(n - 1));
  const boost::math::normal standard_normal;
  const double t = boost::math::quantile(boost::math::complement(t_dist, alpha / 2));
  const double z =
      std::sqrt(static_cast<double>(n) / static_cast<double>(n - 1)) * t;  // expanded z
  return 2 * boost::math::cdf(boost::math::complement(standard_normal, z));
}

namespace {

// The Walsh averages of the original values with their index pairs, sorted once. A resample
// that draws value i c_i times has the Walsh average of pair (i, j) c_i c_j times (i < j) and
// c_i (c_i + 1) / 2 times (i == j), so its Hodges-Lehmann estimate is a weighted median over
// this list: O(n^2) per resample with no sorting, and the same number hodges_lehmann() returns
// for the resample itself.
struct WalshPair {
  double average;
  std::uint32_t i;
  std::uint32_t j;
};

std::vector<WalshPair> sorted_walsh_pairs(const std::vector<double>& values) {
  std::vector<WalshPair> pairs;
  pairs.reserve(values.size() * (values.size() + 1) / 2);
  for (std::size_t i = 0; i < values.size(); ++i) {
    for (std::size_t j = i; j < values.size(); ++j) {
      pairs.push_back({values[i] + (values[j] - values[i]) / 2, static_cast<std::uint32_t>(i),
                       static_cast<std::uint32_t>(j)});
    }
  }
  std::sort(pairs.begin(), pairs.end(),
            [](const WalshPair& a, const WalshPair& b) { return a.average < b.average; });
  return pairs;
}

double resample_hodges_lehmann(const std::vector<WalshPair>& pairs,
                               const std::vector<std::uint64_t>& counts, std::uint64_t n) {
  const std::uint64_t total = n * (n + 1) / 2;
  // 1-based ranks of the middle element(s).
  const std::uint64_t lower_rank = (total + 1) / 2;
  const std::uint64_t upper_rank = total / 2 + 1;
  std::uint64_t seen = 0;
  double lower = 0;
  for (const WalshPair& pair : pairs) {
    const std::uint64_t ci = counts[pair.i];
    const std::uint64_t weight = pair.i == pair.j ? ci * (ci + 1) / 2 : ci * counts[pair.j];
    if (weight == 0) continue;
    if (seen < lower_rank && seen + weight >= lower_rank) lower = pair.average;
    if (seen + weight >= upper_rank) {
      return lower + (pair.average - lower) / 2;
    }
    seen += weight;
  }
  return lower;
}

}  // namespace

Interval hodges_lehmann_interval(const std::vector<double>& values,
                                 const BootstrapOptions& options) {
  constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
  if (values.empty()) return {k_nan, k_nan};
  if (values.size() == 1) return {values.front(), values.front()};

  std::mt19937_64 engine(options.seed);
  const std::size_t n = values.size();
  const std::vector<WalshPair> pairs = sorted_walsh_pairs(values);
  const int resamples = std::max(options.resamples, 1);
  std::vector<double> estimates;
  estimates.reserve(static_cast<std::size_t>(resamples));
  std::vector<std::uint64_t> counts(n);
  for (int b = 0; b < resamples; ++b) {
    std::fill(counts.begin(), counts.end(), 0);
    for (std::size_t i = 0; i < n; ++i) ++counts[uniform_index(engine, n)];
    estimates.push_back(resample_hodges_lehmann(pairs, counts, n));
  }
  const double tail = percentile_tail(n, options);
  return {quantile(estimates, tail / 2), quantile(estimates, 1 - tail / 2)};
}

}  // namespace gilguard::stats
