#include "gilguard/stats/signed_rank.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>

namespace gilguard::stats {
namespace {

TEST(SignedRank, AllAboveThreeValues) {
  // Ranks 1 2 3 all positive: W+ = 6. Of the 2^3 = 8 sign patterns only one reaches 6.
  const RankTestResult greater = signed_rank_test({1, 2, 3}, 0, Alternative::greater);
  EXPECT_DOUBLE_EQ(greater.statistic, 6);
  EXPECT_EQ(greater.n, 3);
  EXPECT_TRUE(greater.exact);
  EXPECT_DOUBLE_EQ(greater.p_value, 1.0 / 8);
  EXPECT_DOUBLE_EQ(signed_rank_test({1, 2, 3}, 0, Alternative::two_sided).p_value, 2.0 / 8);
  EXPECT_DOUBLE_EQ(signed_rank_test({1, 2, 3}, 0, Alternative::less).p_value, 1);
}

TEST(SignedRank, MixedSigns) {
  // d = 1 -2 3: W+ = 1 + 3 = 4. Subset sums of {1,2,3}: 0 1 2 3 3 4 5 6.
  // P(W+ >= 4) = 3/8, P(W+ <= 4) = 6/8.
  EXPECT_DOUBLE_EQ(signed_rank_test({1, -2, 3}, 0, Alternative::greater).p_value, 3.0 / 8);
  EXPECT_DOUBLE_EQ(signed_rank_test({1, -2, 3}, 0, Alternative::less).p_value, 6.0 / 8);
  EXPECT_DOUBLE_EQ(signed_rank_test({1, -2, 3}, 0, Alternative::two_sided).p_value, 6.0 / 8);
}

TEST(SignedRank, ShiftedByMu) {
  const RankTestResult shifted = signed_rank_test({5, 6, 7}, 4, Alternative::greater);
  EXPECT_DOUBLE_EQ(shifted.statistic, 6);
  EXPECT_DOUBLE_EQ(shifted.p_value, 1.0 / 8);
}

TEST(SignedRank, ZerosAreDropped) {
  const RankTestResult result = signed_rank_test({0, 1, 2, 3}, 0, Alternative::greater);
  EXPECT_EQ(result.n, 3);
  EXPECT_DOUBLE_EQ(result.p_value, 1.0 / 8);
  const RankTestResult none = signed_rank_test({2, 2}, 2, Alternative::two_sided);
  EXPECT_EQ(none.n, 0);
  EXPECT_DOUBLE_EQ(none.p_value, 1);
}

TEST(SignedRank, TiesGetMidranksAndExactNull) {
  // |d| = 1 1 2 -> midranks 1.5 1.5 3. d = 1 -1 2: W+ = 1.5 + 3 = 4.5.
  // Subset sums of {1.5, 1.5, 3}: 0 1.5 1.5 3 3 4.5 4.5 6 -> P(W+ >= 4.5) = 3/8.
  const RankTestResult result = signed_rank_test({1, -1, 2}, 0, Alternative::greater);
  EXPECT_DOUBLE_EQ(result.statistic, 4.5);
  EXPECT_DOUBLE_EQ(result.p_value, 3.0 / 8);
  // P(W+ <= 4.5) = 7/8 (all but the sum 6).
  EXPECT_DOUBLE_EQ(signed_rank_test({1, -1, 2}, 0, Alternative::less).p_value, 7.0 / 8);
}

TEST(SignedRank, EightRoundsAllBelowReachOnePercent) {
  // The smallest one-sided p-value with n values is 2^-n: 8 rounds can reject at 0.5%, 7 cannot.
  const std::vector<double> eight = {-1, -2, -3, -4, -5, -6, -7, -8};
  EXPECT_DOUBLE_EQ(signed_rank_test(eight, 0, Alternative::less).p_value, 1.0 / 256);
  const std::vector<double> seven = {-1, -2, -3, -4, -5, -6, -7};
  EXPECT_DOUBLE_EQ(signed_rank_test(seven, 0, Alternative::less).p_value, 1.0 / 128);
}

TEST(SignedRank, NormalApproximationBeyondFifty) {
  // d = +-1 ... +-60 with the odd ones positive: W+ = 1 + 3 + ... + 59 = 900.
  // E = 60 * 61 / 4 = 915, Var = 60 * 61 * 121 / 24 = 18452.5, sd = 135.84.
  // greater: z = (900 - 0.5 - 915) / 135.84 = -0.1141 -> p = 1 - Phi(-0.1141) = 0.5454.
  std::vector<double> d;
  for (int i = 1; i <= 60; ++i) d.push_back(i % 2 == 1 ? i : -i);
  const RankTestResult result = signed_rank_test(d, 0, Alternative::greater);
  EXPECT_FALSE(result.exact);
  EXPECT_DOUBLE_EQ(result.statistic, 900);
  EXPECT_NEAR(result.p_value, 0.5454, 2e-4);
}

TEST(SignedRank, ExactAgreesWithApproximationAtTheBoundary) {
  // At n = 50 the exact p-value and the normal approximation are close (within 0.005).
  std::vector<double> d;
  for (int i = 1; i <= 50; ++i) d.push_back(i % 3 == 0 ? -i : i);
  const RankTestResult exact = signed_rank_test(d, 0, Alternative::greater);
  ASSERT_TRUE(exact.exact);
  const double n = 50;
  const double sd = std::sqrt(n * (n + 1) * (2 * n + 1) / 24);
  const double z = (exact.statistic - 0.5 - n * (n + 1) / 4) / sd;
  const double approx = boost::math::cdf(boost::math::complement(boost::math::normal(), z));
  EXPECT_NEAR(exact.p_value, approx, 0.005);
  EXPECT_GT(exact.p_value, 0);
  EXPECT_LT(exact.p_value, 1);
}

TEST(SignedRankLowerTail, ThreeValues) {
  // W+ of ranks 1, 2, 3 takes 0..6; 3 in two ways (3, 1 + 2), every other sum in one.
  const std::vector<double> expected = {1 / 8.0, 2 / 8.0, 3 / 8.0, 5 / 8.0, 6 / 8.0, 7 / 8.0, 1};
  const auto tail = signed_rank_lower_tail(3);
  ASSERT_EQ(tail.size(), expected.size());
  for (std::size_t w = 0; w < tail.size(); ++w) EXPECT_DOUBLE_EQ(tail[w], expected[w]) << w;
}

}  // namespace
}  // namespace gilguard::stats
