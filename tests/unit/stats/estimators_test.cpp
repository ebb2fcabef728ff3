#include "gilguard/stats/estimators.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gilguard::stats {
namespace {

TEST(Median, OddAndEvenCounts) {
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);  // (2 + 3) / 2
  EXPECT_DOUBLE_EQ(median({5}), 5);
  EXPECT_TRUE(std::isnan(median({})));
}

TEST(Quantile, HyndmanFanType7) {
  const std::vector<double> x = {4, 1, 3, 2};  // sorted 1 2 3 4, h = 3p
  EXPECT_DOUBLE_EQ(quantile(x, 0), 1);
  EXPECT_DOUBLE_EQ(quantile(x, 1), 4);
  EXPECT_DOUBLE_EQ(quantile(x, 0.25), 1.75);  // h = 0.75: 1 + 0.75 (2 - 1)
  EXPECT_DOUBLE_EQ(quantile(x, 0.5), 2.5);    // h = 1.5: 2 + 0.5 (3 - 2)
  EXPECT_NEAR(quantile(x, 0.9), 3.7, 1e-12);  // h = 2.7: 3 + 0.7 (4 - 3)
  EXPECT_DOUBLE_EQ(quantile(x, -1), 1);       // clamped
  EXPECT_DOUBLE_EQ(quantile({7}, 0.3), 7);
  EXPECT_TRUE(std::isnan(quantile({}, 0.5)));
}

TEST(MeanAndSd, HandComputed) {
  const std::vector<double> x = {2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(mean(x), 5);
  // Squared deviations 9 1 1 1 0 0 4 16 sum to 32; 32 / 7.
  EXPECT_NEAR(sample_sd(x), std::sqrt(32.0 / 7.0), 1e-12);
  EXPECT_DOUBLE_EQ(sample_sd({3}), 0);
  EXPECT_TRUE(std::isnan(mean({})));
}

TEST(WalshAverages, AllPairsWithSelf) {
  // (1,1) (1,2) (1,4) (2,2) (2,4) (4,4)
  const std::vector<double> expected = {1, 1.5, 2.5, 2, 3, 4};
  EXPECT_EQ(walsh_averages({1, 2, 4}), expected);
  EXPECT_TRUE(walsh_averages({}).empty());
}

TEST(HodgesLehmann, SmallSampleByHand) {
  // Walsh averages sorted: 1 1.5 2 2.5 3 4; median (2 + 2.5) / 2. Mean would be 2.333, median 2.
  EXPECT_DOUBLE_EQ(hodges_lehmann({1, 2, 4}), 2.25);
  EXPECT_DOUBLE_EQ(hodges_lehmann({4, 1, 2}), 2.25);  // order does not matter
}

TEST(HodgesLehmann, SingleValueAndAllEqual) {
  EXPECT_DOUBLE_EQ(hodges_lehmann({7}), 7);
  EXPECT_DOUBLE_EQ(hodges_lehmann({2, 2, 2, 2}), 2);
  EXPECT_TRUE(std::isnan(hodges_lehmann({})));
}

TEST(HodgesLehmann, ResistsAnOutlier) {
  // Walsh averages of 1 2 3 4 100 (15 of them), sorted:
  // 1 1.5 2 2 2.5 2.5 3 3 3.5 4 50.5 51 51.5 52 100 -> the 8th is 3. The mean is 22.
  EXPECT_DOUBLE_EQ(hodges_lehmann({1, 2, 3, 4, 100}), 3);
  EXPECT_DOUBLE_EQ(mean({1, 2, 3, 4, 100}), 22);
}

TEST(HodgesLehmann, ShiftAndScaleEquivariant) {
  const std::vector<double> x = {0.3, -1.2, 2.5, 0.9, 1.1, -0.4};
  std::vector<double> moved;
  for (const double v : x) moved.push_back(3 * v + 10);
  EXPECT_NEAR(hodges_lehmann(moved), 3 * hodges_lehmann(x) + 10, 1e-12);
}

}  // namespace
}  // namespace gilguard::stats
