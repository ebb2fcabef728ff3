#include "gilguard/stats/stopping.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gilguard::stats {
namespace {

std::vector<double> around(double centre, double spread, int n) {
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(centre + spread * ((i % 5) - 2) / 2.0);
  return out;
}

TEST(Decided, ClearPassAboveTheLine) {
  const StoppingTarget target{std::log(1.71), true};
  EXPECT_TRUE(decided(around(std::log(1.8), 0.02, 10), target));
  EXPECT_FALSE(decided(around(std::log(1.5), 0.02, 10), target));   // a regression: go on
  EXPECT_FALSE(decided(around(std::log(1.72), 0.10, 10), target));  // straddles: go on
}

TEST(Decided, LowerIsBetterForOverhead) {
  const StoppingTarget target{std::log(1.155), false};
  EXPECT_TRUE(decided(around(std::log(1.1), 0.02, 10), target));
  EXPECT_FALSE(decided(around(std::log(1.3), 0.02, 10), target));
}

TEST(Decided, NeedsMinimumRounds) {
  const StoppingTarget target{std::log(1.71), true};
  StoppingOptions options;
  options.min_rounds = 8;
  EXPECT_FALSE(decided(around(std::log(1.8), 0.0, 7), target, options));
  EXPECT_TRUE(decided(around(std::log(1.8), 0.0, 8), target, options));
  EXPECT_FALSE(decided({}, target, options));
}

TEST(Decided, WithoutBaselineStopsOnPrecision) {
  const StoppingTarget none{std::nullopt, true};
  EXPECT_TRUE(decided(around(0.6, 0.01, 10), none));
  EXPECT_FALSE(decided(around(0.6, 0.2, 10), none));
}

}  // namespace
}  // namespace gilguard::stats
