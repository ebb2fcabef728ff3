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

TEST(Decision, PastTheRegressionLineStopsForARegression) {
  StoppingTarget target{std::log(1.71), true};
  EXPECT_EQ(decision(around(std::log(1.5), 0.02, 10), target), Decision::undecided);
  target.regression_line = std::log(1.71);
  EXPECT_EQ(decision(around(std::log(1.5), 0.02, 10), target), Decision::regression);
  EXPECT_EQ(decision(around(std::log(1.8), 0.02, 10), target), Decision::pass);
  EXPECT_EQ(decision(around(std::log(1.72), 0.10, 10), target), Decision::undecided);
  EXPECT_TRUE(decided(around(std::log(1.5), 0.02, 10), target));
}

TEST(Decision, ARegressionOfTheOverheadIsARise) {
  StoppingTarget target{std::log(1.155), false};
  target.regression_line = std::log(1.155);
  target.prediction_edge = std::log(1.13);
  EXPECT_EQ(decision(around(std::log(1.3), 0.02, 12), target), Decision::regression);
  EXPECT_EQ(decision(around(std::log(1.0), 0.02, 12), target), Decision::pass);
}

TEST(Decision, AgainstABaselineTheEstimateMustBePastThePredictionAndTheRankTestReject) {
  StoppingTarget target{std::log(1.71), true};
  target.regression_line = std::log(1.71);
  target.prediction_edge = std::log(1.40);  // a wide prediction interval
  EXPECT_EQ(decision(around(std::log(1.5), 0.02, 12), target), Decision::undecided);
  target.prediction_edge = std::log(1.74);
  EXPECT_EQ(decision(around(std::log(1.5), 0.02, 12), target), Decision::regression);
  // Ten rounds all below the line: the interval is past it, but the smallest one-sided p of the
  // signed-rank test is 2^-10 = 0.00098, above (1 - 0.999) / 2; eleven reach 2^-11 = 0.00049.
  StoppingOptions options;
  options.min_rounds = 5;
  options.bootstrap.confidence = 0.99;
  EXPECT_EQ(decision(around(std::log(1.5), 0.01, 10), target, options), Decision::undecided);
  EXPECT_EQ(decision(around(std::log(1.5), 0.01, 11), target, options), Decision::regression);
  options.regression_confidence = 0.99;  // 2^-8 = 0.0039 <= 0.005
  EXPECT_EQ(decision(around(std::log(1.5), 0.01, 8), target, options), Decision::regression);
  target.prediction_edge.reset();  // A/B: the interval alone
  options.regression_confidence = 0.999;
  EXPECT_EQ(decision(around(std::log(1.5), 0.01, 7), target, options), Decision::regression);
}

}  // namespace
}  // namespace gilguard::stats
