#include "gilguard/stats/ab.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "gilguard/stats/estimators.hpp"
#include "gilguard/stats/signed_rank.hpp"

namespace gilguard::stats {
namespace {

using ::testing::HasSubstr;

const MetricId k_ft2{MetricKind::speedup, Flavor::ft, 2};
const MetricId k_gil2{MetricKind::speedup, Flavor::gil, 2};
const MetricId k_ft_time{MetricKind::time, Flavor::ft, 1};
const MetricId k_gil_time{MetricKind::time, Flavor::gil, 1};

// Normal scores of the deciles: a spread sample without randomness.
constexpr double k_scores[] = {-1.64, -1.04, -0.67, -0.39, -0.13, 0.13, 0.39, 0.67, 1.04, 1.64};

// One sample of a cell in a round: t_seq and t_par chosen to give `speedup`.
Sample sample(Side side, Flavor flavor, int threads, int round, double t_seq, double speedup) {
  Sample s;
  s.round = round;
  s.cell = {flavor, threads, true, side};
  s.ok = true;
  s.t_seq = t_seq;
  s.t_par = t_seq / speedup;
  return s;
}

// `rounds` A/B rounds at 2 threads. The machine's state moves from round to round by up to
// +-`machine` (log scale, shared by head and base of a round: what pairing cancels); each
// sample adds its own noise of sd `noise`. The head's free-threaded speedup is `ft_change` times
// the base's and its free-threaded t_seq `ft_time_change` times the base's.
std::vector<Sample> ab_rounds(int rounds, double ft_change, double ft_time_change = 1.0,
                              double machine = 0.15, double noise = 0.01) {
  std::vector<Sample> out;
  for (int r = 1; r <= rounds; ++r) {
    const double state = std::exp(machine * k_scores[(r * 7) % 10]);
    const double head_noise = std::exp(noise * k_scores[(r * 3) % 10]);
    const double base_noise = std::exp(noise * k_scores[(r * 3 + 5) % 10]);
    for (const auto side : {Side::head, Side::base}) {
      const bool head = side == Side::head;
      const double jitter = head ? head_noise : base_noise;
      out.push_back(sample(side, Flavor::gil, 2, r, 0.40 * state * jitter, 0.98 * state * jitter));
      out.push_back(sample(side, Flavor::ft, 2, r,
                           0.44 * state * jitter * (head ? ft_time_change : 1.0),
                           1.60 * state * jitter * (head ? ft_change : 1.0)));
    }
  }
  return out;
}

const MetricComparison* find(const Comparison& c, const MetricId& id) {
  for (const auto& m : c.metrics)
    if (m.id == id) return &m;
  return nullptr;
}

// The metric `id` of `c`; a missing one fails the test (an exception) instead of crashing it.
const MetricComparison& metric(const Comparison& c, const MetricId& id) {
  if (const auto* found = find(c, id)) return *found;
  throw std::runtime_error("the comparison has no such metric");
}

TEST(WalshLowerIndex, TenValuesAtNinetyPercentTakeTheEleventhSmallestAverage) {
  // P(W+ <= 10) = 0.042 and P(W+ <= 11) = 0.053 for n = 10: c = 10 is the largest within the 5%
  // tail. The normal formula without continuity correction, floor(27.5 - 1.645 * 9.81) = 11,
  // covered 89.4% only.
  const auto tail = signed_rank_lower_tail(10);
  EXPECT_NEAR(tail[10], 0.042, 0.0005);
  EXPECT_NEAR(tail[11], 0.053, 0.0005);
  EXPECT_EQ(walsh_lower_index(10, 0.90), 10u);
}

TEST(WalshLowerIndex, ExactCoverageIsAtLeastNominalAndTheIntervalTheTightest) {
  for (const double confidence : {0.90, 0.99}) {
    const double tail = (1 - confidence) / 2;
    for (int n = 5; n <= 50; ++n) {
      const auto lower = signed_rank_lower_tail(n);
      const std::size_t c = walsh_lower_index(n, confidence);
      if (lower[0] > tail) {
        EXPECT_EQ(c, 0u) << n;  // even the whole range cannot promise it: take it all
        continue;
      }
      EXPECT_GE(1 - 2 * lower[c], confidence) << "n = " << n << " at " << confidence;
      EXPECT_LT(1 - 2 * lower[c + 1], confidence) << "n = " << n << " at " << confidence;
    }
  }
}

TEST(WalshLowerIndex, TooFewValuesGiveTheWholeRange) {
  // 2^-3 = 0.125 > 0.05: no order statistic reaches 90%.
  EXPECT_EQ(walsh_lower_index(3, 0.90), 0u);
  EXPECT_EQ(walsh_lower_index(6, 0.99), 0u);  // 2^-6 = 0.016 > 0.005
  EXPECT_EQ(walsh_lower_index(0, 0.90), 0u);
}

TEST(WalshLowerIndex, TheNormalApproximationBeyondFiftyStaysWithinOneOfExact) {
  for (int n = 51; n <= 70; ++n) {
    const auto lower = signed_rank_lower_tail(n);
    std::size_t exact = 0;
    while (exact + 1 < lower.size() && lower[exact + 1] <= 0.05) ++exact;
    const auto approx = static_cast<double>(walsh_lower_index(n, 0.90));
    EXPECT_NEAR(approx, static_cast<double>(exact), 1.0) << n;
  }
}

TEST(HodgesLehmannWalsh, TheBoundsAreTheWalshAveragesAtTheExactIndex) {
  std::vector<double> values;
  for (int i = 0; i < 10; ++i) values.push_back(std::pow(1.7, i) + 0.1 * i);
  auto walsh = walsh_averages(values);
  std::sort(walsh.begin(), walsh.end());
  const auto hl = hodges_lehmann_walsh(values, 0.90);
  EXPECT_DOUBLE_EQ(hl.low, walsh[10]);
  EXPECT_DOUBLE_EQ(hl.high, walsh[walsh.size() - 11]);
}

TEST(PairedSamples, PairsHeadAndBaseOfTheSameRoundOnly) {
  auto samples = ab_rounds(6, 1.0);
  // Round 3's base free-threaded sample failed: that round has no pair for ft metrics.
  for (auto& s : samples)
    if (s.round == 3 && s.cell.side == Side::base && s.cell.flavor == Flavor::ft) s.ok = false;
  Sample warmup = sample(Side::head, Flavor::ft, 2, 0, 9.0, 9.0);
  samples.push_back(warmup);
  const auto paired = paired_samples(samples);
  ASSERT_EQ(paired.size(), 4u);  // speedups of both flavours at 2, both single-thread times
  for (const auto& p : paired) {
    EXPECT_EQ(p.head.size(), p.base.size());
    EXPECT_EQ(p.head.size(), p.id.flavor == Flavor::ft ? 5u : 6u) << metric_name(p.id);
  }
}

TEST(PairedSamples, TimeComesFromTheSmallestThreadCount) {
  std::vector<Sample> samples;
  for (const auto side : {Side::head, Side::base}) {
    samples.push_back(sample(side, Flavor::ft, 2, 1, 0.5, 1.6));
    samples.push_back(sample(side, Flavor::ft, 4, 1, side == Side::head ? 9.0 : 1.0, 2.0));
  }
  const auto paired = paired_samples(samples);
  const auto it = std::ranges::find(paired, k_ft_time, &PairedSamples::id);
  ASSERT_NE(it, paired.end());
  EXPECT_DOUBLE_EQ(it->head.front(), 0.5);
  EXPECT_DOUBLE_EQ(it->base.front(), 0.5);
}

TEST(CompareAb, SameInterpretersPassDespiteALargeMachineSwing) {
  // The machine moves +-25% from round to round; pairing within rounds cancels it.
  const auto c = compare_ab(ab_rounds(20, 1.0, 1.0, 0.15, 0.01));
  EXPECT_TRUE(c.ab);
  EXPECT_EQ(c.overall, Verdict::pass);
  const auto* ft = find(c, k_ft2);
  ASSERT_NE(ft, nullptr);
  EXPECT_TRUE(ft->gating);
  ASSERT_TRUE(ft->change && ft->change_low && ft->change_high);
  EXPECT_NEAR(*ft->change, 0.0, 0.005);
  EXPECT_LT(*ft->change_low, 0.0);
  EXPECT_GT(*ft->change_high, 0.0);
  EXPECT_THAT(ft->explanation, HasSubstr("rules out a drop of 2%"));
}

TEST(CompareAb, AFivePercentDropInScalingIsARegression) {
  const auto c = compare_ab(ab_rounds(20, 0.95));
  EXPECT_EQ(c.overall, Verdict::regression);
  const auto* ft = find(c, k_ft2);
  ASSERT_NE(ft, nullptr);
  EXPECT_EQ(ft->verdict, Verdict::regression);
  EXPECT_NEAR(*ft->change, -0.05, 0.006);
  EXPECT_LT(*ft->change_high, -0.02);
  ASSERT_TRUE(ft->baseline);
  EXPECT_NEAR(ft->current.value / *ft->baseline, 0.95, 0.03);
  EXPECT_THAT(ft->explanation, HasSubstr("fell"));
  // The GIL build did not change.
  EXPECT_EQ(metric(c, k_gil2).verdict, Verdict::pass);
  EXPECT_FALSE(metric(c, k_gil2).gating);
}

TEST(CompareAb, TheHeadsValueIsTheBaseTimesThePairedChange) {
  // Head and base swing together over a wide range; the head is 1% better in every round.
  // Unpaired, the two medians could disagree with the change; the shown head value follows it.
  std::vector<Sample> samples;
  for (int r = 1; r <= 30; ++r) {
    const double state = std::exp(0.4 * k_scores[(r * 7) % 10] + 0.01 * r);
    samples.push_back(sample(Side::base, Flavor::ft, 2, r, 0.44, 1.50 * state));
    samples.push_back(sample(Side::head, Flavor::ft, 2, r, 0.44, 1.50 * state * 1.01));
  }
  const auto c = compare_ab(samples);
  const auto* ft = find(c, k_ft2);
  ASSERT_NE(ft, nullptr);
  ASSERT_TRUE(ft->change && ft->baseline);
  EXPECT_NEAR(*ft->change, 0.01, 1e-9);
  EXPECT_NEAR(ft->current.value, *ft->baseline * 1.01, 1e-9);
}

TEST(CompareAb, ASlowerInterpreterIsARegressionEvenWhenItScales) {
  // The head's free-threaded build is 6% slower single-threaded but scales the same.
  const auto c = compare_ab(ab_rounds(20, 1.0, 1.06));
  EXPECT_EQ(c.overall, Verdict::regression);
  const auto* time = find(c, k_ft_time);
  ASSERT_NE(time, nullptr);
  EXPECT_TRUE(time->gating);
  EXPECT_EQ(time->verdict, Verdict::regression);
  EXPECT_THAT(time->explanation, HasSubstr("rose"));
  EXPECT_EQ(metric(c, k_gil_time).verdict, Verdict::pass);
}

TEST(CompareAb, AFasterHeadIsAnImprovement) {
  const auto c = compare_ab(ab_rounds(20, 1.08));
  EXPECT_EQ(metric(c, k_ft2).verdict, Verdict::improvement);
  EXPECT_EQ(c.overall, Verdict::improvement);
}

TEST(CompareAb, AChangeNearTheThresholdWithNoisyRoundsIsInconclusive) {
  const auto c = compare_ab(ab_rounds(8, 0.98, 1.0, 0.15, 0.05));
  EXPECT_EQ(metric(c, k_ft2).verdict, Verdict::inconclusive);
  EXPECT_EQ(c.overall, Verdict::inconclusive);
}

TEST(CompareAb, TooFewPairedRoundsAreInconclusive) {
  const auto c = compare_ab(ab_rounds(3, 0.80));
  EXPECT_EQ(metric(c, k_ft2).verdict, Verdict::inconclusive);
  EXPECT_THAT(metric(c, k_ft2).explanation, HasSubstr("3 paired rounds"));
}

TEST(CompareAb, TheThresholdIsAnOption) {
  AbOptions options;
  options.threshold = 0.10;
  // A 5% drop is clear of a 10% regression line: a pass at that threshold.
  EXPECT_EQ(compare_ab(ab_rounds(20, 0.95), options).overall, Verdict::pass);
}

TEST(CompareAb, SpeedupsAboveTheGatedThreadsAreInformation) {
  AbOptions options;
  options.max_gated_threads = 1;
  EXPECT_FALSE(is_gating_ab(k_ft2, options));
  EXPECT_TRUE(is_gating_ab(k_ft_time, options));
  options.max_gated_threads = 2;
  EXPECT_TRUE(is_gating_ab(k_ft2, options));
  EXPECT_FALSE(is_gating_ab(k_gil2, options));
}

TEST(MayStopAb, StopsOnAClearPassOrAClearRegression) {
  EXPECT_TRUE(may_stop_ab(ab_rounds(20, 1.0)));
  EXPECT_TRUE(may_stop_ab(ab_rounds(20, 0.90)));
  EXPECT_EQ(compare_ab(ab_rounds(20, 0.90)).overall, Verdict::regression);
  AbOptions passes_only;
  passes_only.stop_for_regression = false;
  EXPECT_FALSE(may_stop_ab(ab_rounds(20, 0.90), passes_only));
  // Fewer rounds than stop_min_rounds: not yet, either way.
  EXPECT_FALSE(may_stop_ab(ab_rounds(6, 1.0)));
  EXPECT_FALSE(may_stop_ab(ab_rounds(6, 0.90)));
  // Near the line with noisy rounds: neither.
  EXPECT_FALSE(may_stop_ab(ab_rounds(10, 0.975, 1.0, 0.15, 0.03)));
}

TEST(MayStopAb, TheRegressionBoundaryIsStricterThanThePasses) {
  // Eight to ten rounds all 10% down: at 99.9% no order statistic promises the coverage yet
  // (2^-10 > 0.0005), so the run goes on; at 99% it would stop; from 11 rounds it stops.
  EXPECT_FALSE(may_stop_ab(ab_rounds(8, 0.90)));
  EXPECT_FALSE(may_stop_ab(ab_rounds(10, 0.90)));
  AbOptions at99;
  at99.stop_regression_confidence = 0.99;
  EXPECT_TRUE(may_stop_ab(ab_rounds(8, 0.90), at99));
  EXPECT_TRUE(may_stop_ab(ab_rounds(11, 0.90)));
}

TEST(MayStopAb, AStopForARegressionIsAlwaysFollowedByTheVerdictRegression) {
  AbOptions passes_only;
  passes_only.stop_for_regression = false;
  int fired = 0;
  for (const double change : {1.0, 0.985, 0.975, 0.97, 0.96, 0.90}) {
    for (const double noise : {0.005, 0.01, 0.02, 0.04}) {
      for (int rounds = 8; rounds <= 40; rounds += 4) {
        for (const double time_change : {1.0, 1.03}) {
          const auto samples = ab_rounds(rounds, change, time_change, 0.15, noise);
          if (!may_stop_ab(samples) || may_stop_ab(samples, passes_only)) continue;
          ++fired;
          EXPECT_EQ(compare_ab(samples).overall, Verdict::regression)
              << change << " " << noise << " " << rounds << " " << time_change;
        }
      }
    }
  }
  EXPECT_GT(fired, 40);
}

TEST(MayStopAb, NothingGatedMeansNothingDecided) { EXPECT_FALSE(may_stop_ab({})); }

}  // namespace
}  // namespace gilguard::stats
