#include "gilguard/stats/compare.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

namespace gilguard::stats {
namespace {

// Options without the machine-to-machine spread in the prediction's prior: these tests are of
// the verdict's rules, the machine spread is compare_machines_test's subject.
CompareOptions plain() {
  CompareOptions options;
  options.machine_spread_relative = 0;
  options.machine_spread_speedup = 0;
  options.machine_spread_overhead = 0;
  return options;
}

// The options of a run measured without the process reference: the raw speedup gates.
CompareOptions raw() {
  CompareOptions options = plain();
  options.gate_raw_speedup = true;
  return options;
}

using ::testing::HasSubstr;
using ::testing::Not;

const MetricId k_ft2{MetricKind::speedup, Flavor::ft, 2};
const MetricId k_ft4{MetricKind::speedup, Flavor::ft, 4};
const MetricId k_gil2{MetricKind::speedup, Flavor::gil, 2};
const MetricId k_overhead{MetricKind::overhead, Flavor::ft, 1};

// 20 rounds spread like a normal sample: the deciles' normal scores, twice.
MetricSamples rounds(const MetricId& id, double centre, double sigma, int n = 20) {
  static const double k_scores[] = {-1.64, -1.04, -0.67, -0.39, -0.13,
                                    0.13,  0.39,  0.67,  1.04,  1.64};
  MetricSamples out{id, {}};
  for (int i = 0; i < n; ++i) out.values.push_back(centre * std::exp(sigma * k_scores[i % 10]));
  return out;
}

Estimate estimate(double value, double relative_half_width = 0.015) {
  return {value, value * (1 - relative_half_width), value * (1 + relative_half_width), 20, {}};
}

// Five past runs, each from its own machine (compared with plain(): no machine-to-machine spread;
// that is compare_machines_test's subject): ft speedup at 2 threads ~1.80, overhead ~1.10, GIL
// speedup ~0.99. These runs have no process reference, like results of schema 1: the raw ft speedup
// gates (gate_raw_speedup, which compare() sets for such runs itself).
std::vector<BaselineRun> history() {
  std::vector<BaselineRun> out;
  int machine = 0;
  for (const double wobble : {1.0, 0.99, 1.01, 0.995, 1.005}) {
    BaselineRun run;
    run.provenance.machine_id = "m" + std::to_string(machine++);
    run.metrics.emplace_back(k_ft2, estimate(1.80 * wobble));
    run.metrics.emplace_back(k_overhead, estimate(1.10 * wobble));
    run.metrics.emplace_back(k_gil2, estimate(0.99 * wobble));
    out.push_back(run);
  }
  return out;
}

TEST(Compare, ClearRegression) {
  const MetricComparison m = compare_metric(rounds(k_ft2, 1.50, 0.03), history(), raw());
  EXPECT_EQ(m.verdict, Verdict::regression);
  EXPECT_TRUE(m.gating);
  ASSERT_TRUE(m.baseline && m.change && m.baseline_low && m.baseline_high);
  EXPECT_NEAR(*m.baseline, 1.80, 0.01);
  EXPECT_NEAR(*m.change, 1.50 / *m.baseline - 1, 1e-9);
  EXPECT_LT(m.current.high, 0.95 * *m.baseline);
  EXPECT_LT(m.current.value, *m.baseline_low);
  EXPECT_EQ(m.baseline_runs, 5);
  EXPECT_EQ(m.current.rounds, 20);
  EXPECT_THAT(m.explanation, HasSubstr("free-threaded speedup at 2 threads fell 16."));
  EXPECT_THAT(m.explanation, HasSubstr("regression line"));
  const Comparison c = compare({rounds(k_ft2, 1.50, 0.03)}, history(), plain());
  EXPECT_EQ(c.overall, Verdict::regression);
  EXPECT_DOUBLE_EQ(c.threshold, 0.05);
}

TEST(Compare, ClearPass) {
  const MetricComparison m = compare_metric(rounds(k_ft2, 1.80, 0.03), history(), plain());
  EXPECT_EQ(m.verdict, Verdict::pass);
  EXPECT_GT(m.current.low, 0.95 * *m.baseline);
  EXPECT_THAT(m.explanation, HasSubstr("clear of the 5% regression line"));
}

TEST(Compare, SmallDropWithinThresholdPasses) {
  // A 2% drop measured precisely: real, but smaller than the threshold.
  EXPECT_EQ(compare_metric(rounds(k_ft2, 1.764, 0.01), history(), plain()).verdict, Verdict::pass);
}

TEST(Compare, WithinNoiseStraddlingTheLineIsInconclusive) {
  const MetricComparison m = compare_metric(rounds(k_ft2, 1.72, 0.08), history(), plain());
  EXPECT_EQ(m.verdict, Verdict::inconclusive);
  EXPECT_LT(m.current.low, 0.95 * *m.baseline);
  EXPECT_GT(m.current.high, 0.95 * *m.baseline);
  EXPECT_THAT(m.explanation, HasSubstr("straddles"));
}

TEST(Compare, ImprovementSaysSo) {
  const MetricComparison m = compare_metric(rounds(k_ft2, 2.2, 0.03), history(), plain());
  EXPECT_EQ(m.verdict, Verdict::improvement);
  EXPECT_THAT(m.explanation, HasSubstr("consider updating the baseline"));
  EXPECT_EQ(compare({rounds(k_ft2, 2.2, 0.03)}, history(), plain()).overall, Verdict::improvement);
}

TEST(Compare, OverheadIncreaseIsARegression) {
  const MetricComparison m = compare_metric(rounds(k_overhead, 1.35, 0.03), history(), plain());
  EXPECT_TRUE(m.gating);
  EXPECT_EQ(m.verdict, Verdict::regression);
  EXPECT_GT(*m.change, 0.2);
  EXPECT_THAT(m.explanation, HasSubstr("overhead rose"));
}

TEST(Compare, OverheadDecreaseIsAnImprovement) {
  const MetricComparison m = compare_metric(rounds(k_overhead, 0.95, 0.03), history(), plain());
  EXPECT_EQ(m.verdict, Verdict::improvement);
  EXPECT_LT(*m.change, 0);
}

TEST(Compare, NoBaseline) {
  const Comparison c = compare({rounds(k_ft2, 1.8, 0.03), rounds(k_overhead, 1.1, 0.03)}, {});
  EXPECT_EQ(c.overall, Verdict::no_baseline);
  ASSERT_EQ(c.metrics.size(), 2u);
  for (const MetricComparison& m : c.metrics) {
    EXPECT_EQ(m.verdict, Verdict::no_baseline);
    EXPECT_FALSE(m.baseline.has_value());
    EXPECT_EQ(m.current.rounds, 20);
    EXPECT_NEAR(m.current.value, m.id == k_ft2 ? 1.8 : 1.1, 0.01);
    EXPECT_THAT(m.explanation, HasSubstr("gilguard baseline update"));
  }
}

TEST(Compare, UngatedMetricNeverFailsTheRun) {
  const Comparison c =
      compare({rounds(k_ft2, 1.80, 0.03), rounds(k_gil2, 0.70, 0.03)}, history(), plain());
  ASSERT_EQ(c.metrics.size(), 2u);
  const MetricComparison& gil = c.metrics[1];
  EXPECT_EQ(gil.id, k_gil2);
  EXPECT_FALSE(gil.gating);
  EXPECT_EQ(gil.verdict, Verdict::regression);
  EXPECT_EQ(c.overall, Verdict::pass);
}

TEST(Compare, ThreadCountsAboveTheUsableCpusAreInformation) {
  CompareOptions options = plain();
  options.gate_raw_speedup = true;
  options.max_gated_threads = 2;
  EXPECT_TRUE(is_gating(k_ft2, options));
  EXPECT_FALSE(is_gating(k_ft4, options));
  EXPECT_FALSE(is_gating(k_gil2, options));
  EXPECT_TRUE(is_gating(k_overhead, options));
  EXPECT_FALSE(is_gating(MetricId{MetricKind::speedup, Flavor::ft, 1}, options));
  options.max_gated_threads = 0;
  EXPECT_TRUE(is_gating(k_ft4, options));
  options.gate_overhead = false;
  EXPECT_FALSE(is_gating(k_overhead, options));
}

std::vector<BaselineRun> wide_history() {
  // Past runs at 1.5, 1.8 and 2.1: a wide run-to-run spread.
  std::vector<BaselineRun> wide;
  int machine = 0;
  for (const double v : {1.5, 1.8, 2.1}) {
    BaselineRun run;
    run.provenance.machine_id = "m" + std::to_string(machine++);
    run.metrics.emplace_back(k_ft2, estimate(v));
    wide.push_back(run);
  }
  return wide;
}

TEST(Compare, ADropWhollyPastTheLineIsNeverAPassEvenWithinTheBaselinesSpread) {
  // A run at 1.55 is wholly past the 5% line, and its whole interval lies within the history's
  // wide spread (until issue 20 that read "pass": the baseline's usual variation). A confident
  // move past the threshold is inconclusive, and the text says the baseline's spread is why.
  const MetricComparison m = compare_metric(rounds(k_ft2, 1.55, 0.01), wide_history(), plain());
  EXPECT_EQ(m.verdict, Verdict::inconclusive);
  EXPECT_LT(m.current.high, 0.95 * *m.baseline);
  EXPECT_GT(m.current.low, *m.baseline_low);
  const auto prediction = baseline_prediction(k_ft2, wide_history(), plain());
  ASSERT_TRUE(prediction);
  EXPECT_GT(m.current.low, std::exp(prediction->plain_low));
  EXPECT_THAT(m.explanation, HasSubstr("wholly past the 5% regression line"));
  EXPECT_THAT(m.explanation, HasSubstr("more baseline runs would tell a runner of another speed "
                                       "from a regression"));
  EXPECT_THAT(m.explanation, Not(HasSubstr("no regression")));
}

// Every verdict of a sweep of run centres from -12% to +12% around the baseline, for a history
// with the machine allowance (one machine) and one without (three machines), for a speedup and
// for the overhead (better lower): a pass never has its interval wholly past either line.
TEST(Compare, NoMoveWhollyPastALineIsAPassAtTheRulesEdges) {
  std::vector<BaselineRun> one_machine = history();
  for (BaselineRun& run : one_machine) run.provenance.machine_id = "m";
  CompareOptions options;  // the machine spread on: the one-machine history is widened by it
  options.gate_raw_speedup = true;
  options.resamples = 1000;  // 1,746 verdicts
  int passes = 0;
  int past_line_not_pass = 0;
  for (const auto& baseline : {history(), one_machine, wide_history()}) {
    for (const MetricId& id : {k_ft2, k_overhead}) {
      const auto prediction = baseline_prediction(id, baseline, options);
      if (!prediction) continue;
      const double centre = std::exp(prediction->centre);
      const bool up = higher_is_better(id);
      const double regression_line = centre * (up ? 0.95 : 1.05);
      const double improvement_line = centre * (up ? 1.05 : 0.95);
      for (double change = -0.12; change <= 0.12; change += 0.0025) {
        for (const double sigma : {0.002, 0.01, 0.03}) {
          const MetricComparison m =
              compare_metric(rounds(id, centre * (1 + change), sigma), baseline, options);
          const bool past_bad =
              up ? m.current.high < regression_line : m.current.low > regression_line;
          const bool past_good =
              up ? m.current.low > improvement_line : m.current.high < improvement_line;
          if (m.verdict == Verdict::pass) {
            ++passes;
            EXPECT_FALSE(past_bad) << describe(id) << " change " << change << " sigma " << sigma;
            EXPECT_FALSE(past_good) << describe(id) << " change " << change << " sigma " << sigma;
            EXPECT_TRUE(up ? m.current.low >= regression_line * (1 - 1e-9)
                           : m.current.high <= regression_line * (1 + 1e-9));
          } else if (past_bad || past_good) {
            ++past_line_not_pass;
          }
        }
      }
    }
  }
  // The sweep reaches both sides of both lines.
  EXPECT_GT(passes, 50);
  EXPECT_GT(past_line_not_pass, 50);
}

TEST(Compare, AConfidentImprovementWithinTheSpreadIsInconclusiveNotAPass) {
  const MetricComparison m = compare_metric(rounds(k_ft2, 2.05, 0.01), wide_history(), plain());
  EXPECT_GT(m.current.low, 1.05 * *m.baseline);
  EXPECT_EQ(m.verdict, Verdict::inconclusive);
  EXPECT_THAT(m.explanation, HasSubstr("wholly past the 5% improvement line"));
  EXPECT_THAT(m.explanation, HasSubstr("from an improvement"));
}

TEST(Compare, WithinTheWidenedIntervalButOutsideTheShownSpreadIsInconclusive) {
  // Between the plug-in range (z) and the t-widened prediction interval: no regression can be
  // claimed (the estimate is inside the prediction interval), and no pass either (the spread
  // the runs have shown does not cover it).
  const std::vector<BaselineRun> wide = wide_history();
  const auto prediction = baseline_prediction(k_ft2, wide, {});
  ASSERT_TRUE(prediction);
  ASSERT_LT(prediction->low, prediction->plain_low);
  const double between = std::exp((prediction->low + prediction->plain_low) / 2);
  const MetricComparison m = compare_metric(rounds(k_ft2, between, 0.005), wide);
  EXPECT_EQ(m.verdict, Verdict::inconclusive);
  EXPECT_THAT(m.explanation, HasSubstr("more baseline runs would tell"));
}

TEST(Compare, PastTheLineButNotClearlyOutsideTheSpreadIsInconclusive) {
  const std::vector<BaselineRun> wide = wide_history();
  const auto prediction = baseline_prediction(k_ft2, wide, plain());
  ASSERT_TRUE(prediction);
  const double lower_bound = std::exp(prediction->low);
  // A noisy run centred just above the lower prediction bound: wholly past the 5% line, its
  // estimate inside the range, its interval reaching outside it.
  const MetricComparison m = compare_metric(rounds(k_ft2, lower_bound * 1.03, 0.1), wide, plain());
  EXPECT_LT(m.current.high, 0.95 * *m.baseline);
  EXPECT_GT(m.current.value, *m.baseline_low);
  EXPECT_LT(m.current.low, *m.baseline_low);
  EXPECT_EQ(m.verdict, Verdict::inconclusive);
  EXPECT_THAT(m.explanation, HasSubstr("but it is within the baseline's 99% run-to-run range"));
  EXPECT_THAT(m.explanation, HasSubstr("more baseline runs would tell"));
}

TEST(Compare, TooFewRoundsForTheRankTestIsInconclusive) {
  // At 99% the rank test's level is 0.5%: six rounds all far below give at best the exact
  // one-sided p-value 2^-6 = 0.016, so no regression yet.
  CompareOptions strict = plain();
  strict.confidence = 0.99;
  const MetricComparison m = compare_metric(rounds(k_ft2, 1.5, 0.01, 6), history(), strict);
  EXPECT_EQ(m.verdict, Verdict::inconclusive);
  EXPECT_THAT(m.explanation, HasSubstr("signed-rank test"));
  EXPECT_THAT(m.explanation, HasSubstr("(p = 0.016)"));
  strict.rank_test = false;
  EXPECT_EQ(compare_metric(rounds(k_ft2, 1.5, 0.01, 6), history(), strict).verdict,
            Verdict::regression);
  // At the default 90% (level 5%) the same six rounds suffice.
  EXPECT_EQ(compare_metric(rounds(k_ft2, 1.5, 0.01, 6), history(), plain()).verdict,
            Verdict::regression);
}

TEST(Compare, FewerThanMinimumRoundsIsInconclusive) {
  const MetricComparison m = compare_metric(rounds(k_ft2, 1.0, 0.01, 3), history(), plain());
  EXPECT_EQ(m.verdict, Verdict::inconclusive);
  EXPECT_THAT(m.explanation, HasSubstr("3 measured rounds, fewer than the 5"));
  const MetricComparison none = compare_metric(MetricSamples{k_ft2, {}}, history(), plain());
  EXPECT_EQ(none.verdict, Verdict::inconclusive);
  EXPECT_EQ(none.current.rounds, 0);
}

TEST(Compare, SameDataSameAnswer) {
  const std::vector<MetricSamples> current = {rounds(k_ft2, 1.72, 0.08),
                                              rounds(k_overhead, 1.12, 0.05)};
  const Comparison a = compare(current, history(), plain());
  const Comparison b = compare(current, history(), plain());
  ASSERT_EQ(a.metrics.size(), b.metrics.size());
  for (std::size_t i = 0; i < a.metrics.size(); ++i) {
    EXPECT_EQ(a.metrics[i].current.low, b.metrics[i].current.low);
    EXPECT_EQ(a.metrics[i].current.high, b.metrics[i].current.high);
    EXPECT_EQ(a.metrics[i].verdict, b.metrics[i].verdict);
    EXPECT_EQ(a.metrics[i].explanation, b.metrics[i].explanation);
  }
}

TEST(Compare, ThresholdMoves) {
  // A 7% drop, measured precisely: a regression at 5%, a pass at 10%.
  const MetricSamples current = rounds(k_ft2, 1.80 * 0.93, 0.01);
  EXPECT_EQ(compare_metric(current, history(), plain()).verdict, Verdict::regression);
  CompareOptions loose = plain();
  loose.threshold = 0.10;
  EXPECT_EQ(compare_metric(current, history(), loose).verdict, Verdict::pass);
}

MetricComparison with(const MetricId& id, bool gating, Verdict verdict) {
  MetricComparison m;
  m.id = id;
  m.gating = gating;
  m.verdict = verdict;
  return m;
}

TEST(OverallVerdict, Rules) {
  using V = Verdict;
  EXPECT_EQ(overall_verdict({}), V::no_baseline);
  EXPECT_EQ(overall_verdict({with(k_ft2, true, V::no_baseline)}), V::no_baseline);
  EXPECT_EQ(overall_verdict({with(k_ft2, true, V::pass), with(k_overhead, true, V::regression)}),
            V::regression);
  EXPECT_EQ(
      overall_verdict({with(k_ft2, true, V::improvement), with(k_overhead, true, V::inconclusive)}),
      V::inconclusive);
  EXPECT_EQ(overall_verdict({with(k_ft2, true, V::improvement), with(k_overhead, true, V::pass)}),
            V::improvement);
  EXPECT_EQ(overall_verdict({with(k_ft2, true, V::pass), with(k_gil2, false, V::regression)}),
            V::pass);
  EXPECT_EQ(overall_verdict({with(k_ft2, true, V::pass), with(k_gil2, false, V::improvement)}),
            V::pass);
  // Only information metrics have a baseline: nothing gated was checked, and a pass would say
  // otherwise (an old baseline without the metric that gates now).
  EXPECT_EQ(overall_verdict({with(k_ft2, true, V::no_baseline), with(k_gil2, false, V::pass)}),
            V::no_baseline);
  // No gating metric at all: the information metrics' pass stands.
  EXPECT_EQ(overall_verdict({with(k_gil2, false, V::pass)}), V::pass);
  // A regression beats anything, in any order.
  EXPECT_EQ(overall_verdict({with(k_ft2, true, V::inconclusive), with(k_ft4, true, V::regression)}),
            V::regression);
}

Sample sample(int round, Flavor flavor, int threads, double t_seq, double t_par, bool ok = true) {
  Sample s;
  s.round = round;
  s.cell = Cell{flavor, threads, true};
  s.ok = ok;
  s.t_seq = t_seq;
  s.t_par = t_par;
  return s;
}

TEST(MetricSamples, SpeedupsAndPairedOverheadPerRound) {
  const std::vector<Sample> samples = {
      sample(0, Flavor::ft, 2, 9, 1),  // warm-up: ignored
      sample(0, Flavor::gil, 1, 9, 9),
      sample(1, Flavor::ft, 2, 2.0, 1.0),
      sample(1, Flavor::gil, 2, 1.0, 1.0),
      sample(1, Flavor::ft, 1, 1.2, 1.2),
      sample(1, Flavor::gil, 1, 1.0, 1.0),
      sample(2, Flavor::ft, 2, 2.2, 1.1, /*ok=*/false),  // failed: ignored
      sample(2, Flavor::ft, 1, 1.3, 1.3),
      sample(2, Flavor::gil, 1, 1.0, 1.0),
      sample(3, Flavor::ft, 2, 3.0, 2.0),
      sample(3, Flavor::ft, 1, 1.1, 1.1),  // no gil one-thread sample in round 3: no overhead
  };
  const std::vector<MetricSamples> metrics = metric_samples(samples);
  ASSERT_EQ(metrics.size(), 3u);  // sorted: gil-speedup-2, ft-speedup-2, ft-overhead
  EXPECT_EQ(metrics[0].id, k_gil2);
  EXPECT_EQ(metrics[0].values, std::vector<double>({1.0}));
  EXPECT_EQ(metrics[1].id, k_ft2);
  EXPECT_EQ(metrics[1].values, std::vector<double>({2.0, 1.5}));
  EXPECT_EQ(metrics[2].id, k_overhead);
  ASSERT_EQ(metrics[2].values.size(), 2u);
  EXPECT_DOUBLE_EQ(metrics[2].values[0], 1.2);
  EXPECT_DOUBLE_EQ(metrics[2].values[1], 1.3);
}

TEST(MetricSamples, OverheadAtTheSmallestThreadCountWithoutOneThread) {
  const std::vector<Sample> samples = {
      sample(1, Flavor::ft, 2, 3.0, 1.5), sample(1, Flavor::gil, 2, 2.0, 2.0),
      sample(1, Flavor::ft, 4, 3.3, 1.0), sample(1, Flavor::gil, 4, 2.2, 2.2)};
  const std::vector<MetricSamples> metrics = metric_samples(samples);
  ASSERT_EQ(metrics.back().id, k_overhead);
  EXPECT_EQ(metrics.back().values, std::vector<double>({1.5}));  // 3.0 / 2.0, from T = 2
}

TEST(MayStop, OnRawSamplesAsTheRunnerCallsIt) {
  std::vector<Sample> samples;
  for (int round = 1; round <= 12; ++round) {
    const double wobble = 1 + 0.01 * ((round % 5) - 2);
    samples.push_back(sample(round, Flavor::ft, 2, 1.8 * wobble, 1.0));
    samples.push_back(sample(round, Flavor::ft, 1, 1.1 * wobble, 1.1));
    samples.push_back(sample(round, Flavor::gil, 1, 1.0, 1.0));
  }
  EXPECT_TRUE(may_stop(samples, history(), plain()));
  for (Sample& s : samples) {
    if (s.cell.threads == 2) s.t_par *= 1.25;  // speedup 1.44: a clear regression stops too
  }
  EXPECT_TRUE(may_stop(samples, history(), plain()));
  EXPECT_EQ(compare_samples(samples, history(), plain()).overall, Verdict::regression);
  CompareOptions passes_only = plain();
  passes_only.stop_for_regression = false;
  EXPECT_FALSE(may_stop(samples, history(), passes_only));
}

TEST(Summarize, HodgesLehmannOnTheLogScale) {
  // Logs 0, ln2, ln4; Walsh averages in units of ln 2: 0 .5 1 1 1.5 2 -> median ln 2 -> 2x.
  const Estimate e = summarize(MetricSamples{k_ft2, {1, 2, 4}});
  EXPECT_NEAR(e.value, 2, 1e-12);
  EXPECT_EQ(e.rounds, 3);
  EXPECT_LE(e.low, e.value);
  EXPECT_GE(e.high, e.value);
  // Non-positive and non-finite values are skipped.
  EXPECT_EQ(summarize(MetricSamples{k_ft2, {1, 2, 4, 0, -1, NAN}}).rounds, 3);
  const Estimate empty = summarize(MetricSamples{k_ft2, {}});
  EXPECT_EQ(empty.rounds, 0);
}

TEST(MayStop, StopsEarlyForAClearPassOrAClearRegression) {
  EXPECT_TRUE(
      may_stop({rounds(k_ft2, 1.80, 0.03), rounds(k_overhead, 1.10, 0.03)}, history(), plain()));
  // A clear regression of one gating metric stops the run, whatever the others show.
  EXPECT_TRUE(
      may_stop({rounds(k_ft2, 1.50, 0.03), rounds(k_overhead, 1.10, 0.03)}, history(), plain()));
  EXPECT_TRUE(
      may_stop({rounds(k_ft2, 1.50, 0.03), rounds(k_overhead, 1.15, 0.10)}, history(), plain()));
  EXPECT_TRUE(
      may_stop({rounds(k_ft2, 1.80, 0.03), rounds(k_overhead, 1.40, 0.03)}, history(), plain()));
  // Without the early regression stop it goes on to the budget.
  CompareOptions passes_only = plain();
  passes_only.stop_for_regression = false;
  EXPECT_FALSE(may_stop({rounds(k_ft2, 1.50, 0.03), rounds(k_overhead, 1.10, 0.03)}, history(),
                        passes_only));
  // A regression at the final rule's 90% but not at the stop's 99% goes on: 1.66x +- 3%, 10
  // rounds, just past the 5% line (1.71x).
  const MetricSamples near = rounds(k_ft2, 1.66, 0.03, 10);
  EXPECT_EQ(compare_metric(near, history(), raw()).verdict, Verdict::regression);
  EXPECT_FALSE(may_stop({near}, history(), plain()));
  // So does a metric still straddling the line.
  EXPECT_FALSE(may_stop({rounds(k_ft2, 1.72, 0.08)}, history(), plain()));
  // Too few rounds, even if clear: an early stop needs stop_min_rounds (8).
  EXPECT_FALSE(may_stop({rounds(k_ft2, 1.80, 0.01, 7)}, history(), plain()));
  EXPECT_TRUE(may_stop({rounds(k_ft2, 1.80, 0.01, 8)}, history(), plain()));
  // Ungated metrics do not hold a run back.
  EXPECT_TRUE(may_stop({rounds(k_ft2, 1.80, 0.03), rounds(k_gil2, 0.5, 0.3)}, history(), plain()));
}

TEST(MayStop, EarlyLooksNeedTheStricterInterval) {
  // 1.76x +- 3% per round over 10 rounds: the 90% interval clears the 5% line (1.71x), so the
  // final verdict would pass, but the 99% interval an early stop needs does not.
  const MetricSamples current = rounds(k_ft2, 1.76, 0.03, 10);
  EXPECT_EQ(compare_metric(current, history(), plain()).verdict, Verdict::pass);
  EXPECT_FALSE(may_stop({current}, history(), plain()));
  CompareOptions lenient = plain();
  lenient.stop_confidence = 0.9;
  EXPECT_TRUE(may_stop({current}, history(), lenient));
}

// A deterministic standard normal draw (Box-Muller on mt19937_64, whose sequence the standard
// fixes).
class Normal {
 public:
  explicit Normal(std::uint64_t seed) : m_engine(seed) {}
  double operator()() {
    const double u1 = (static_cast<double>(m_engine() >> 11) + 0.5) / 9007199254740992.0;
    const double u2 = (static_cast<double>(m_engine() >> 11) + 0.5) / 9007199254740992.0;
    return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  std::mt19937_64 m_engine;
};

TEST(MayStop, AStopForARegressionIsAlwaysFollowedByTheVerdictRegression) {
  // Runs of 8 to 30 rounds with drops of 0 to 12% and per-round noise of 1% to 8%, against the
  // five-run history: whenever a gating metric is past the early regression boundary (decision),
  // compare_metric calls it a regression, and whenever may_stop stops where it would not without
  // stop_for_regression, compare's overall verdict is a regression.
  Normal normal(20);
  CompareOptions passes_only = raw();
  passes_only.stop_for_regression = false;
  CompareOptions stop_options = raw();
  int fired = 0;
  int cases = 0;
  for (const double drop : {0.0, 0.04, 0.06, 0.08, 0.12}) {
    for (const double sigma : {0.01, 0.03, 0.08}) {
      for (const int n : {8, 9, 12, 20, 30}) {
        for (int repeat = 0; repeat < 4; ++repeat) {
          ++cases;
          MetricSamples speedup{k_ft2, {}};
          MetricSamples overhead{k_overhead, {}};
          for (int i = 0; i < n; ++i) {
            speedup.values.push_back(1.80 * (1 - drop) * std::exp(sigma * normal()));
            overhead.values.push_back(1.10 * std::exp(0.03 * normal()));
          }
          const std::vector<MetricSamples> current{speedup, overhead};
          StoppingOptions stopping;
          stopping.min_rounds = stop_options.stop_min_rounds;
          stopping.bootstrap.confidence = stop_options.stop_confidence;
          const StoppingTarget target = stopping_target(k_ft2, history(), stop_options);
          if (decision(log_values(speedup), target, stopping) == Decision::regression) {
            ++fired;
            EXPECT_EQ(compare_metric(speedup, history(), stop_options).verdict, Verdict::regression)
                << drop << " " << sigma << " " << n;
          }
          if (may_stop(current, history(), stop_options) &&
              !may_stop(current, history(), passes_only)) {
            EXPECT_EQ(compare(current, history(), stop_options).overall, Verdict::regression)
                << drop << " " << sigma << " " << n;
          }
        }
      }
    }
  }
  EXPECT_GT(fired, cases / 10);  // the property was put to the test
}

TEST(MayStop, WithoutBaselineStopsWhenPrecise) {
  EXPECT_TRUE(may_stop({rounds(k_ft2, 1.80, 0.01)}, {}));
  EXPECT_FALSE(may_stop({rounds(k_ft2, 1.80, 0.15)}, {}));
  EXPECT_FALSE(may_stop(std::vector<MetricSamples>{}, {}));
}

TEST(Describe, MetricsInWords) {
  EXPECT_EQ(describe(k_ft4), "free-threaded speedup at 4 threads");
  EXPECT_EQ(describe(k_gil2), "GIL speedup at 2 threads");
  EXPECT_EQ(describe(k_overhead), "free-threaded single-thread overhead");
  EXPECT_TRUE(higher_is_better(k_ft2));
  EXPECT_FALSE(higher_is_better(k_overhead));
}

}  // namespace
}  // namespace gilguard::stats
