#include "gilguard/stats/signed_rank.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstddef>
#include <numeric>

namespace gilguard::stats {

namespace {

struct Ranked {
  std::vector<double> ranks;  // midranks of |d|, in the order of d
  std::vector<double> signs;  // +1 or -1
  double tie_term = 0;        // sum over tie groups of t^3 - t
};

Ranked rank_differences(const std::vector<double>& x, double mu) {
  std::vector<double> diffs;
  for (const double v : x) {
    if (v != mu) diffs.push_back(v - mu);
  }
  Ranked out;
  const std::size_t n = diffs.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::fabs(diffs[a]) < std::fabs(diffs[b]);
  });
  out.ranks.assign(n, 0);
  out.signs.resize(n);
  for (std::size_t i = 0; i < n; ++i) out.signs[i] = diffs[i] > 0 ? 1 : -1;
  std::size_t start = 0;
  while (start < n) {
    std::size_t end = start + 1;
    while (end < n && std::fabs(diffs[order[end]]) == std::fabs(diffs[order[start]])) ++end;
    // Positions start..end-1 hold ranks start+1..end: their mean is (start + 1 + end) / 2.
    const double midrank = static_cast<double>(start + 1 + end) / 2;
    for (std::size_t k = start; k < end; ++k) out.ranks[order[k]] = midrank;
    const auto t = static_cast<double>(end - start);
    out.tie_term += t * t * t - t;
    start = end;
  }
  return out;
}

// P(W+ <= w) and P(W+ >= w) under H0, by enumerating sums of doubled (integer) midranks.
std::pair<double, double> exact_tails(const std::vector<double>& ranks, double w) {
  std::vector<std::size_t> doubled;
  for (const double r : ranks) doubled.push_back(static_cast<std::size_t>(std::lround(2 * r)));
  const std::vector<double> probability = sign_sum_distribution(doubled);
  const auto observed = static_cast<std::size_t>(std::lround(2 * w));
  double lower = 0;
  double upper = 0;
  for (std::size_t s = 0; s < probability.size(); ++s) {
    if (s <= observed) lower += probability[s];
    if (s >= observed) upper += probability[s];
  }
  return {std::min(lower, 1.0), std::min(upper, 1.0)};
}

}  // namespace

std::vector<double> sign_sum_distribution(const std::vector<std::size_t>& weights) {
  std::size_t total = 0;
  for (const std::size_t w : weights) total += w;
  // probability[s] = P(sum of the weights given a + sign == s); each sign is + with chance 1/2,
  // independently.
  std::vector<double> probability(total + 1, 0.0);
  probability[0] = 1;
  std::vector<double> next(total + 1, 0.0);
  for (const std::size_t r : weights) {
    for (std::size_t s = 0; s <= total; ++s) {
      next[s] = (probability[s] + (s >= r ? probability[s - r] : 0.0)) / 2;
    }
    probability.swap(next);
  }
  return probability;
}

std::vector<double> signed_rank_lower_tail(int n) {
  std::vector<std::size_t> ranks;
  for (int r = 1; r <= n; ++r) ranks.push_back(static_cast<std::size_t>(r));
  std::vector<double> out = sign_sum_distribution(ranks);
  double sum = 0;
  for (double& p : out) {
    sum += p;
    p = std::min(sum, 1.0);
  }
  return out;
}

RankTestResult signed_rank_test(const std::vector<double>& x, double mu, Alternative alternative) {
  const Ranked ranked = rank_differences(x, mu);
  RankTestResult result;
  result.n = static_cast<int>(ranked.ranks.size());
  for (std::size_t i = 0; i < ranked.ranks.size(); ++i) {
    if (ranked.signs[i] > 0) result.statistic += ranked.ranks[i];
  }
  if (result.n == 0) {
    result.exact = true;
    return result;
  }

  double p_less = 1;
  double p_greater = 1;
  if (result.n <= k_signed_rank_exact_max) {
    result.exact = true;
    std::tie(p_less, p_greater) = exact_tails(ranked.ranks, result.statistic);
  } else {
    const auto n = static_cast<double>(result.n);
    const double expected = n * (n + 1) / 4;
    const double variance = n * (n + 1) * (2 * n + 1) / 24 - ranked.tie_term / 48;
    const double sd = std::sqrt(variance);
    const boost::math::normal standard_normal;
    p_less = boost::math::cdf(standard_normal, (result.statistic + 0.5 - expected) / sd);
    p_greater = boost::math::cdf(
        boost::math::complement(standard_normal, (result.statistic - 0.5 - expected) / sd));
  }
  switch (alternative) {
    case Alternative::less:
      result.p_value = p_less;
      break;
    case Alternative::greater:
      result.p_value = p_greater;
      break;
    case Alternative::two_sided:
      result.p_value = std::min(1.0, 2 * std::min(p_less, p_greater));
      break;
  }
  return result;
}

}  // namespace gilguard::stats
