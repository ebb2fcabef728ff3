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

Interval hodges_lehmann_interval(const std::vector<double>& values,
                                 const BootstrapOptions& options) {
  constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
  if (values.empty()) return {k_nan, k_nan};
  if (values.size() == 1) return {values.front(), values.front()};

  std::mt19937_64 engine(options.seed);
  const std::size_t n = values.size();
  const int resamples = std::max(options.resamples, 1);
  std::vector<double> estimates;
  estimates.reserve(static_cast<std::size_t>(resamples));
  std::vector<double> resample(n);
  for (int b = 0; b < resamples; ++b) {
    for (std::size_t i = 0; i < n; ++i) resample[i] = values[uniform_index(engine, n)];
    estimates.push_back(hodges_lehmann(resample));
  }
  std::sort(estimates.begin(), estimates.end());
  const double tail = percentile_tail(n, options);
  return {quantile(estimates, tail / 2), quantile(estimates, 1 - tail / 2)};
}

}  // namespace gilguard::stats
