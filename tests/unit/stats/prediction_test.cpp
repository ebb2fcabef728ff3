#include "gilguard/stats/prediction.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gilguard::stats {
namespace {

// Quantiles from published tables: t_{4, 0.995}, t_{2, 0.995}, z_{0.995}.
constexpr double k_t4 = 4.604095;
constexpr double k_t2 = 9.924843;
constexpr double k_z = 2.575829;

RunEstimate run(double value, double low, double high) {
  return {std::log(value), std::log(low), std::log(high)};
}

TEST(ImpliedStandardError, FromTheIntervalWidth) {
  // (ln 2.1 - ln 1.9) / (2 z_{0.995}) = 0.100083 / 5.151659 = 0.019427
  EXPECT_NEAR(implied_standard_error(run(2, 1.9, 2.1), 0.99), 0.019427, 1e-6);
  EXPECT_DOUBLE_EQ(implied_standard_error(run(2, 2, 2), 0.99), 0);
}

TEST(ImpliedStandardError, UsesTheExpandedQuantileWhenRoundsAreKnown) {
  // 10 rounds: q = sqrt(10/9) t_{9, 0.995} = 1.054093 * 3.249836 = 3.425626;
  // se = 0.100083 / (2 * 3.425626) = 0.014608.
  RunEstimate ten = run(2, 1.9, 2.1);
  ten.rounds = 10;
  EXPECT_NEAR(implied_standard_error(ten, 0.99), 0.014608, 1e-6);
}

TEST(PredictNextRun, EmptyHistoryHasNoBaseline) { EXPECT_FALSE(predict_next_run({}).has_value()); }

TEST(PredictNextRun, OneRunRestsOnTheWithinRunFloor) {
  // n = 1 (short history): s = floor = 0.019427, normal quantile;
  // half-width z s sqrt(2) = 2.575829 * 0.019427 * 1.414214 = 0.070770.
  const auto p = predict_next_run({run(2, 1.9, 2.1)});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->runs, 1);
  EXPECT_NEAR(p->centre, std::log(2), 1e-12);
  EXPECT_NEAR(p->floor, 0.019427, 1e-6);
  EXPECT_NEAR(p->spread, 0.019427, 1e-6);
  EXPECT_TRUE(std::isinf(p->df));
  EXPECT_NEAR(p->quantile, k_z, 1e-5);
  EXPECT_NEAR(p->centre - p->low, 0.070770, 1e-5);
  EXPECT_NEAR(p->high - p->centre, p->centre - p->low, 1e-12);
  EXPECT_DOUBLE_EQ(p->plain_low, p->low);  // short history: already the z range
}

TEST(PredictNextRun, PriorDriftWidensTheFloor) {
  // floor^2 = 0.019427^2 + 0.02^2 -> 0.027882; half-width z s sqrt(2) = 0.101570.
  PredictionOptions options;
  options.prior_drift = 0.02;
  const auto p = predict_next_run({run(2, 1.9, 2.1)}, options);
  ASSERT_TRUE(p);
  EXPECT_NEAR(p->floor, 0.027882, 1e-6);
  EXPECT_NEAR(p->centre - p->low, 0.101570, 1e-5);
}

TEST(PredictNextRun, TwoRunsUseTheLargerOfSampleSpreadAndFloor) {
  // Log values 0 and 0.1 with zero-width intervals: s_2 = 0.070711 > floor 0;
  // half-width z s sqrt(1 + 1/2) = 2.575829 * 0.070711 * 1.224745 = 0.223073.
  const auto p = predict_next_run({{0, 0, 0}, {0.1, 0.1, 0.1}});
  ASSERT_TRUE(p);
  EXPECT_NEAR(p->centre, 0.05, 1e-12);
  EXPECT_NEAR(p->spread, 0.070711, 1e-6);
  EXPECT_NEAR(p->high - p->centre, 0.223073, 1e-5);
  // Two identical runs: the floor of their own intervals is the spread.
  const auto same = predict_next_run({run(2, 1.9, 2.1), run(2, 1.9, 2.1)});
  ASSERT_TRUE(same);
  EXPECT_NEAR(same->spread, 0.019427, 1e-6);
}

TEST(PredictNextRun, LongerHistoryPoolsSampleSpreadWithTheFloor) {
  // Log values 0, 0.1, 0.2 with zero-width intervals (floor 0): s_n = 0.1; d0 = 2:
  // s^2 = (2 * 0 + 2 * 0.01) / 4, s = 0.070711; df = 4;
  // half-width t_4 s sqrt(4/3) = 4.604095 * 0.070711 * 1.154701 = 0.375923.
  const std::vector<RunEstimate> history = {{0, 0, 0}, {0.1, 0.1, 0.1}, {0.2, 0.2, 0.2}};
  const auto p = predict_next_run(history);
  ASSERT_TRUE(p);
  EXPECT_NEAR(p->centre, 0.1, 1e-12);
  EXPECT_NEAR(p->spread, 0.070711, 1e-6);
  EXPECT_DOUBLE_EQ(p->df, 4);
  EXPECT_NEAR(p->quantile, k_t4, 1e-5);
  EXPECT_NEAR(p->high - p->centre, 0.375923, 1e-5);
  // The plug-in range uses z instead: 2.575829 * 0.070711 * 1.154701 = 0.210316.
  EXPECT_NEAR(p->plain_high - p->centre, 0.210316, 1e-5);
  EXPECT_NEAR(p->centre - p->plain_low, 0.210316, 1e-5);
}

TEST(PredictNextRun, ClassicalIntervalWithoutPrior) {
  // d0 = 0: mean +- t_2 s sqrt(1 + 1/3) = 9.924843 * 0.1 * 1.154701 = 1.146022.
  PredictionOptions options;
  options.prior_df = 0;
  const std::vector<RunEstimate> history = {{0, 0, 0}, {0.1, 0.1, 0.1}, {0.2, 0.2, 0.2}};
  const auto p = predict_next_run(history, options);
  ASSERT_TRUE(p);
  EXPECT_NEAR(p->quantile, k_t2, 1e-5);
  EXPECT_NEAR(p->high - p->centre, 1.146022, 1e-5);
}

TEST(PredictNextRun, SpreadNeverBelowTheFloorOrMinimum) {
  // Three identical runs: the sample spread is 0, but each run's own interval says +-2%.
  const std::vector<RunEstimate> same = {run(2, 1.9, 2.1), run(2, 1.9, 2.1), run(2, 1.9, 2.1)};
  const auto p = predict_next_run(same);
  ASSERT_TRUE(p);
  EXPECT_NEAR(p->spread, 0.019427, 1e-6);
  // Zero-width intervals and no spread: the minimum spread keeps the interval open.
  const auto degenerate = predict_next_run({run(2, 2, 2)});
  ASSERT_TRUE(degenerate);
  EXPECT_DOUBLE_EQ(degenerate->spread, 0.005);
  EXPECT_LT(degenerate->low, degenerate->centre);
}

TEST(PredictNextRun, WiderAtHigherConfidenceAndNarrowerWithMoreRuns) {
  std::vector<RunEstimate> history = {run(1.8, 1.75, 1.85), run(1.82, 1.77, 1.87),
                                      run(1.81, 1.76, 1.86)};
  PredictionOptions lower;
  lower.confidence = 0.9;
  const auto narrow = predict_next_run(history, lower);
  const auto wide = predict_next_run(history);
  ASSERT_TRUE(narrow && wide);
  EXPECT_LT(wide->low, narrow->low);
  for (int i = 0; i < 7; ++i) history.push_back(run(1.81, 1.76, 1.86));
  const auto longer = predict_next_run(history);
  ASSERT_TRUE(longer);
  EXPECT_LT(longer->high - longer->low, wide->high - wide->low);
}

}  // namespace
}  // namespace gilguard::stats
