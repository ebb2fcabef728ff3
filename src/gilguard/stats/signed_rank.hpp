#pragma once

#include <cstddef>
#include <vector>

// Wilcoxon's signed-rank test (Wilcoxon 1945, "Individual comparisons by ranking methods",
// Biometrics Bulletin 1(6):80-83) for one sample of per-round log ratios against a fixed value,
// which is the paired test for within-round ratios (overhead pairs the two flavours in a round;
// a speedup pairs t_seq and t_par in one process). Its inversion gives the Hodges-Lehmann
// estimate and interval, so it is the rank test that matches the estimator.
namespace gilguard::stats {

// Which way the alternative hypothesis points, for the location of x relative to mu.
enum class Alternative { less, greater, two_sided };

// The outcome of a signed-rank test.
struct RankTestResult {
  double statistic = 0;  // W+: sum of the (mid)ranks of |x_i - mu| over the x_i above mu
  double p_value = 1;
  int n = 0;           // values used: those different from mu
  bool exact = false;  // true: exact enumeration; false: normal approximation
};

// Largest n (after dropping zeros) for which the p-value is exact.
inline constexpr int k_signed_rank_exact_max = 50;

// Tests H0 "x is symmetric about mu" against the alternative. Values equal to mu are dropped
// (Wilcoxon's convention); ties in |x - mu| get midranks. Up to k_signed_rank_exact_max values the
// p-value is exact: the null distribution of W+ over all 2^n sign assignments of the observed
// (mid)ranks is enumerated by dynamic programming, so ties are handled exactly too. Beyond that,
// the normal approximation with continuity correction 1/2 and the tie-corrected variance
// n(n+1)(2n+1)/24 - sum(t^3 - t)/48 (Lehmann 1975, "Nonparametrics", ch. 3). No values left:
// p = 1.
RankTestResult signed_rank_test(const std::vector<double>& x, double mu, Alternative alternative);

// The exact null distribution of a sum of signed integer weights: entry s is P(sum of the weights
// given a + sign == s) when each sign is + with chance 1/2, independently (dynamic programming
// over the weights, O(n sum)). With weights 1..n it is W+'s distribution without ties; the test
// above uses doubled midranks.
std::vector<double> sign_sum_distribution(const std::vector<std::size_t>& weights);

// P(W+ <= w) for w = 0..n(n+1)/2: the exact lower tail of the signed-rank statistic of n values
// without ties or zeros (ranks 1..n), for n <= k_signed_rank_exact_max.
std::vector<double> signed_rank_lower_tail(int n);

}  // namespace gilguard::stats
