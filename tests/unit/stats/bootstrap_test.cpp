#include "gilguard/stats/bootstrap.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "gilguard/stats/estimators.hpp"

namespace gilguard::stats {
namespace {

// Standard normal draws by Box-Muller from our own uniform mapping, so the test data are the
// same on every standard library (std::normal_distribution is not).
std::vector<double> normal_sample(std::mt19937_64& engine, std::size_t n, double mu, double sigma) {
  std::vector<double> out;
  constexpr std::uint64_t k_grid = 1ULL << 53;
  while (out.size() < n) {
    const double u1 = (static_cast<double>(uniform_index(engine, k_grid)) + 0.5) / k_grid;
    const double u2 = (static_cast<double>(uniform_index(engine, k_grid)) + 0.5) / k_grid;
    out.push_back(mu + sigma * std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2));
  }
  return out;
}

TEST(UniformIndex, MatchesTheEngineAndStaysInRange) {
  std::mt19937_64 reference(42);
  std::mt19937_64 engine(42);
  for (int i = 0; i < 100; ++i) {
    // Rejection only happens for draws in the top 2^64 mod 10 values: never in 100 draws here.
    EXPECT_EQ(uniform_index(engine, 10), reference() % 10);
  }
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(uniform_index(engine, 1), 0u);
}

TEST(UniformIndex, RoughlyUniform) {
  std::mt19937_64 engine(7);
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 60000; ++i) ++counts[uniform_index(engine, 6)];
  for (const int c : counts) EXPECT_NEAR(c, 10000, 400);  // 4 standard deviations
}

TEST(UniformIndex, RejectsTheBiasedTop) {
  // Bound 2^63 + 1: 2^64 mod bound = 2^63 - 1, so only draws up to 2^64 - 1 - (2^63 - 1) = 2^63
  // are kept (each residue then has exactly one preimage) and about half are rejected. The result
  // is the first kept draw of the same engine.
  const std::uint64_t bound = (1ULL << 63) + 1;
  std::mt19937_64 engine(3);
  std::mt19937_64 reference(3);
  int rejected = 0;
  for (int i = 0; i < 1000; ++i) {
    std::uint64_t draw = reference();
    while (draw > (1ULL << 63)) {
      ++rejected;
      draw = reference();
    }
    EXPECT_EQ(uniform_index(engine, bound), draw);
  }
  EXPECT_GT(rejected, 800);
  EXPECT_LT(rejected, 1200);
}

TEST(PercentileTail, ExpandedForSmallSamples) {
  BootstrapOptions options;
  options.confidence = 0.95;
  options.expanded = false;
  EXPECT_NEAR(percentile_tail(10, options), 0.05, 1e-12);
  options.expanded = true;
  // t_{9, 0.975} = 2.2622; times sqrt(10/9) = 2.3845; 2 (1 - Phi(2.3845)) = 0.0171.
  EXPECT_NEAR(percentile_tail(10, options), 0.0171, 3e-4);
  // Large n: the expansion fades, alpha' -> alpha.
  EXPECT_NEAR(percentile_tail(100000, options), 0.05, 1e-3);
  EXPECT_NEAR(percentile_tail(1, options), 0.05, 1e-12);
}

TEST(HodgesLehmannInterval, SameDataSameSeedSameInterval) {
  const std::vector<double> x = {0.61, 0.58, 0.66, 0.55, 0.63, 0.60, 0.71, 0.52, 0.59, 0.64};
  const Interval a = hodges_lehmann_interval(x);
  const Interval b = hodges_lehmann_interval(x);
  EXPECT_EQ(a.low, b.low);  // bit for bit
  EXPECT_EQ(a.high, b.high);
  EXPECT_LT(a.low, hodges_lehmann(x));
  EXPECT_GT(a.high, hodges_lehmann(x));
}

TEST(HodgesLehmannInterval, DifferentSeedMayDiffer) {
  const std::vector<double> x = {0.61, 0.58, 0.66, 0.55, 0.63, 0.60, 0.71, 0.52, 0.59, 0.64};
  BootstrapOptions one;
  one.confidence = 0.9;
  one.resamples = 500;
  BootstrapOptions other = one;
  other.seed = one.seed + 1;
  const Interval a = hodges_lehmann_interval(x, one);
  const Interval b = hodges_lehmann_interval(x, other);
  EXPECT_TRUE(a.low != b.low || a.high != b.high);
  // ... but not by much: both estimate the same quantiles.
  EXPECT_NEAR(a.low, b.low, 0.02);
  EXPECT_NEAR(a.high, b.high, 0.02);
}

TEST(HodgesLehmannInterval, EachReplicateIsTheEstimateOfAnExplicitResample) {
  // With one replicate the interval is that replicate's estimate; it must equal the
  // Hodges-Lehmann estimate of the resample drawn with the same engine and index mapping.
  const std::vector<double> x = {0.61, 0.58, 0.66, 0.55, 0.63, 0.60, 0.71, 0.52, 0.59, 0.64, 0.6};
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    BootstrapOptions options;
    options.resamples = 1;
    options.seed = seed;
    std::mt19937_64 engine(seed);
    std::vector<double> resample;
    for (std::size_t i = 0; i < x.size(); ++i) resample.push_back(x[uniform_index(engine, 11)]);
    const Interval interval = hodges_lehmann_interval(x, options);
    EXPECT_EQ(interval.low, hodges_lehmann(resample)) << "seed " << seed;
    EXPECT_EQ(interval.high, interval.low);
  }
}

TEST(HodgesLehmannInterval, DegenerateSamples) {
  const Interval one = hodges_lehmann_interval({0.4});
  EXPECT_EQ(one.low, 0.4);
  EXPECT_EQ(one.high, 0.4);
  const Interval equal = hodges_lehmann_interval({0.4, 0.4, 0.4, 0.4, 0.4});
  EXPECT_DOUBLE_EQ(equal.low, 0.4);
  EXPECT_DOUBLE_EQ(equal.high, 0.4);
  const Interval none = hodges_lehmann_interval({});
  EXPECT_TRUE(std::isnan(none.low));
  EXPECT_TRUE(std::isnan(none.high));
}

TEST(HodgesLehmannInterval, WiderAtHigherConfidence) {
  const std::vector<double> x = {0.61, 0.58, 0.66, 0.55, 0.63, 0.60, 0.71, 0.52, 0.59, 0.64};
  BootstrapOptions low_confidence;
  low_confidence.confidence = 0.8;
  const Interval narrow = hodges_lehmann_interval(x, low_confidence);
  const Interval wide = hodges_lehmann_interval(x);  // 0.99
  EXPECT_LT(wide.low, narrow.low);
  EXPECT_GT(wide.high, narrow.high);
}

TEST(HodgesLehmannInterval, CoverageCloseToNominal) {
  // 300 normal samples of 15 rounds, sigma 0.07 (the per-round noise of a speedup here):
  // the 90% interval should cover the true centre about 90% of the time.
  std::mt19937_64 engine(2024);
  BootstrapOptions options;
  options.confidence = 0.9;
  options.resamples = 1000;
  int covered = 0;
  constexpr int k_trials = 300;
  for (int trial = 0; trial < k_trials; ++trial) {
    const std::vector<double> x = normal_sample(engine, 15, 0.5, 0.07);
    const Interval interval = hodges_lehmann_interval(x, options);
    if (interval.low <= 0.5 && 0.5 <= interval.high) ++covered;
  }
  // Binomial(300, 0.9) has sd 5.2: allow [0.83, 0.97].
  EXPECT_GE(covered, 249);
  EXPECT_LE(covered, 291);
}

}  // namespace
}  // namespace gilguard::stats
