#include "gilguard/stats/binomial.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gilguard::stats {
namespace {

// Reference values: the binomial cdf solved by bisection (P(X <= k | p) = 0.05 for the upper
// bound, P(X >= k | p) = 0.05 for the lower), independently of the beta quantile.

TEST(ClopperPearson, NoneOfAHundredIsBelowThreePercentOneSided) {
  // 1 - 0.05^(1/100): the "rule of three" 3/n is its approximation.
  EXPECT_NEAR(clopper_pearson_upper(0, 100, 0.95), 0.029513, 1e-6);
  EXPECT_NEAR(clopper_pearson_upper(0, 100, 0.95), 1 - std::pow(0.05, 0.01), 1e-12);
  // The upper end of the two-sided 95% interval is the one-sided 97.5% bound.
  EXPECT_NEAR(clopper_pearson_upper(0, 100, 0.975), 0.036217, 1e-6);
}

TEST(ClopperPearson, UpperBoundsAgainstTheBinomialCdf) {
  EXPECT_NEAR(clopper_pearson_upper(1, 100, 0.95), 0.046560, 1e-6);
  EXPECT_NEAR(clopper_pearson_upper(5, 20, 0.95), 0.455582, 1e-6);
}

TEST(ClopperPearson, LowerBoundsAgainstTheBinomialCdf) {
  EXPECT_NEAR(clopper_pearson_lower(95, 100, 0.95), 0.897747, 1e-6);
  EXPECT_NEAR(clopper_pearson_lower(20, 20, 0.95), std::pow(0.05, 1.0 / 20), 1e-12);
  EXPECT_NEAR(clopper_pearson_lower(20, 20, 0.95), 0.860892, 1e-6);
}

TEST(ClopperPearson, EdgesAreTheWholeRange) {
  EXPECT_EQ(clopper_pearson_upper(100, 100, 0.95), 1.0);
  EXPECT_EQ(clopper_pearson_upper(0, 0, 0.95), 1.0);
  EXPECT_EQ(clopper_pearson_lower(0, 100, 0.95), 0.0);
  EXPECT_EQ(clopper_pearson_lower(3, 0, 0.95), 0.0);
}

TEST(ClopperPearson, AnEffectiveCountNeedNotBeWhole) {
  // 0 of 22.5 effective trials: 1 - 0.05^(1/22.5), between the bounds for 22 and 23.
  EXPECT_NEAR(clopper_pearson_upper(0, 22.5, 0.95), 1 - std::pow(0.05, 1 / 22.5), 1e-9);
  EXPECT_GT(clopper_pearson_upper(2.5, 22.5, 0.95), clopper_pearson_upper(2, 22.5, 0.95));
  EXPECT_LT(clopper_pearson_upper(2.5, 22.5, 0.95), clopper_pearson_upper(3, 22.5, 0.95));
}

}  // namespace
}  // namespace gilguard::stats
