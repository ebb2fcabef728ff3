// The verdict across machines: the speedup against processes gates, the overhead gates only
// within one CPU identity, a baseline from few machines is widened by the machine-to-machine
// spread, and disturbed samples never carry a verdict.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "gilguard/stats/compare.hpp"

namespace gilguard::stats {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const MetricId k_rel2{MetricKind::relative, Flavor::ft, 2};
const MetricId k_ft2{MetricKind::speedup, Flavor::ft, 2};
const MetricId k_overhead{MetricKind::overhead, Flavor::ft, 1};

MetricSamples rounds(const MetricId& id, double centre, double sigma = 0.02, int n = 20) {
  static const double k_scores[] = {-1.64, -1.04, -0.67, -0.39, -0.13,
                                    0.13,  0.39,  0.67,  1.04,  1.64};
  MetricSamples out{id, {}};
  for (int i = 0; i < n; ++i) out.values.push_back(centre * std::exp(sigma * k_scores[i % 10]));
  return out;
}

BaselineRun run_on(const std::string& machine, const std::string& cpu, double relative,
                   double overhead) {
  BaselineRun run;
  run.provenance.machine_id = machine;
  run.provenance.cpu_key = cpu;
  const auto estimate = [](double v) { return Estimate{v, v * 0.99, v * 1.01, 40}; };
  run.metrics.emplace_back(k_rel2, estimate(relative));
  run.metrics.emplace_back(k_ft2, estimate(1.6 * relative));
  run.metrics.emplace_back(k_overhead, estimate(overhead));
  return run;
}

std::vector<BaselineRun> one_machine(const std::string& cpu = "AMD 25/17/1") {
  return {run_on("m1", cpu, 0.98, 1.10), run_on("m1", cpu, 0.985, 1.10),
          run_on("m1", cpu, 0.975, 1.10)};
}

TEST(CompareMachines, TheSpeedupAgainstProcessesGatesAndTheRawSpeedupInforms) {
  CompareOptions options;
  options.max_gated_threads = 2;
  const Comparison c = compare({rounds(k_rel2, 0.98), rounds(k_ft2, 1.30)}, one_machine(), options);
  ASSERT_EQ(c.metrics.size(), 2U);
  for (const auto& m : c.metrics) {
    if (m.id == k_rel2) {
      EXPECT_TRUE(m.gating);
    }
    if (m.id == k_ft2) {
      // A runner with less parallel capacity: the raw speedup fell 17%, but it only informs.
      EXPECT_FALSE(m.gating);
      EXPECT_LT(*m.change, -0.15);
    }
  }
  EXPECT_EQ(c.overall, Verdict::pass);
}

TEST(CompareMachines, RunsWithoutTheReferenceGateTheRawSpeedup) {
  CompareOptions options;
  options.max_gated_threads = 2;
  const Comparison c = compare({rounds(k_ft2, 1.10)}, one_machine(), options);
  ASSERT_EQ(c.metrics.size(), 1U);
  EXPECT_TRUE(c.metrics.front().gating);
  EXPECT_EQ(c.overall, Verdict::regression);
}

TEST(CompareMachines, ABaselineFromOneMachineIsWidenedByTheMachineSpread) {
  CompareOptions options;
  options.max_gated_threads = 2;
  const MetricComparison narrow_off = [&] {
    CompareOptions o = options;
    o.min_machines = 0;
    return compare_metric(rounds(k_rel2, 0.925, 0.005), one_machine(), o);
  }();
  const MetricComparison widened =
      compare_metric(rounds(k_rel2, 0.925, 0.005), one_machine(), options);
  ASSERT_TRUE(widened.baseline_low && narrow_off.baseline_low);
  EXPECT_LT(*widened.baseline_low, *narrow_off.baseline_low);
  EXPECT_EQ(widened.baseline_machines, 1);
  EXPECT_THAT(widened.explanation, HasSubstr("from 1 machine, widened by the 2.0%"));
  // Without the widening a 5.6% drop off a one-sitting baseline is a regression; with it, that
  // sitting's narrowness alone can no longer convict.
  EXPECT_EQ(narrow_off.verdict, Verdict::regression);
  EXPECT_NE(widened.verdict, Verdict::regression);
  // A 15% drop still is one.
  EXPECT_EQ(compare_metric(rounds(k_rel2, 0.83), one_machine(), options).verdict,
            Verdict::regression);
}

// Issue 20's case: machine D's rounds with the threads' time stretched read 0.92x [0.92x, 0.93x]
// against a one-machine baseline at 0.98x: -5.5%, wholly past the 5% line, and only the machine
// allowance keeps it from being a regression. That is inconclusive, never a pass, and says so.
TEST(CompareMachines, ADropOnlyTheMachineAllowanceExcusesIsInconclusiveAndSaysWhy) {
  CompareOptions options;
  options.max_gated_threads = 2;
  const MetricComparison m = compare_metric(rounds(k_rel2, 0.926, 0.004), one_machine(), options);
  EXPECT_LT(m.current.high, 0.95 * *m.baseline);
  EXPECT_EQ(m.verdict, Verdict::inconclusive);
  EXPECT_THAT(m.explanation,
              HasSubstr("only the allowance for machine-to-machine spread (2.0%) keeps it from "
                        "being a regression"));
  EXPECT_THAT(m.explanation, HasSubstr("an A/B run against the base, would decide"));
  // The overall verdict is inconclusive (exit 0, but never worded as a pass).
  EXPECT_EQ(compare({rounds(k_rel2, 0.926, 0.004)}, one_machine(), options).overall,
            Verdict::inconclusive);
}

TEST(CompareMachines, ThreeMachinesShowTheirOwnSpread) {
  CompareOptions options;
  const std::vector<BaselineRun> three = {
      run_on("m1", "c", 0.98, 1.1), run_on("m2", "c", 0.97, 1.1), run_on("m3", "c", 0.985, 1.1)};
  // The same runs, once from three machines and once all from one: only the latter is widened.
  std::vector<BaselineRun> one = three;
  for (auto& run : one) run.provenance.machine_id = "m1";
  const auto three_machines = baseline_prediction(k_rel2, three, options);
  const auto one_machine_only = baseline_prediction(k_rel2, one, options);
  ASSERT_TRUE(three_machines && one_machine_only);
  EXPECT_DOUBLE_EQ(three_machines->machine_spread, 0.0);
  EXPECT_DOUBLE_EQ(one_machine_only->machine_spread, k_machine_spread_relative);
  EXPECT_LT(one_machine_only->low, three_machines->low);
  EXPECT_EQ(compare_metric(rounds(k_rel2, 0.98), three, options).baseline_machines, 3);
  // A drop of 7% below these runs is a regression whose explanation names the three machines
  // and no widening.
  const MetricComparison from_three = compare_metric(rounds(k_rel2, 0.91, 0.005), three, options);
  EXPECT_EQ(from_three.verdict, Verdict::regression) << from_three.explanation;
  EXPECT_THAT(from_three.explanation, HasSubstr("from 3 machines)"));
  EXPECT_THAT(from_three.explanation, Not(HasSubstr("widened")));
}

TEST(CompareMachines, TheOverheadGatesOnlyAgainstTheSameCpu) {
  CompareOptions options;
  options.cpu_key = "Intel 6/207/2";
  // Baseline from an AMD machine: 1.10x there, 1.25x here. Not a regression: another CPU.
  const Comparison other = compare({rounds(k_overhead, 1.25), rounds(k_rel2, 0.98)},
                                   one_machine("AMD 25/17/1"), options);
  const auto* overhead = &other.metrics.front();
  for (const auto& m : other.metrics)
    if (m.id == k_overhead) overhead = &m;
  EXPECT_FALSE(overhead->gating);
  EXPECT_THAT(overhead->explanation, HasSubstr("Information only"));
  EXPECT_THAT(overhead->explanation, HasSubstr("Intel 6/207/2"));
  EXPECT_EQ(other.overall, Verdict::pass);
  // The same CPU: it gates, and 14% slower is a regression.
  const Comparison same = compare({rounds(k_overhead, 1.25), rounds(k_rel2, 0.98)},
                                  one_machine("Intel 6/207/2"), options);
  EXPECT_EQ(same.overall, Verdict::regression);
}

Sample sample(Flavor flavor, int threads, int round, double t_par, double wait = 0) {
  Sample s;
  s.round = round;
  s.ok = true;
  s.cell = {flavor, threads, true};
  s.cpus = 2;
  s.t_seq = 1.0;
  s.t_par = t_par;
  if (threads > 1) s.t_ref = 0.5;
  RegionLoad load;
  load.wall = t_par;
  load.workers = threads;
  load.wait = wait;
  load.other_cpu = 0;
  s.par_load = load;
  return s;
}

TEST(CompareMachines, DisturbedSamplesAreSetAsideAndNamed) {
  std::vector<Sample> samples;
  for (int round = 1; round <= 12; ++round) {
    // Every round but the first three disturbed: 40% of the threaded region lost to others.
    const double wait = round <= 3 ? 0.0 : 0.4;
    samples.push_back(sample(Flavor::ft, 2, round, round <= 3 ? 0.5 : 0.9, wait));
    samples.push_back(sample(Flavor::ft, 1, round, 1.0));
    samples.push_back(sample(Flavor::gil, 1, round, 1.0));
  }
  const auto per_metric = metric_samples(samples);
  for (const auto& m : per_metric)
    if (m.id == k_rel2) {
      EXPECT_EQ(m.values.size(), 3U);
    }
  CompareOptions options;
  options.max_gated_threads = 2;
  const Comparison c = compare_samples(samples, one_machine(), options);
  ASSERT_TRUE(c.interference.has_value());
  EXPECT_EQ(c.interference->set_aside, 9);
  EXPECT_EQ(c.interference->dominant, "other processes");
  // The slow, disturbed rounds did not make a regression: too few rounds are left to decide.
  EXPECT_NE(c.overall, Verdict::regression);
  bool named = false;
  for (const auto& m : c.metrics)
    if (m.id == k_rel2) {
      EXPECT_EQ(m.verdict, Verdict::inconclusive);
      named = m.explanation.find("interference from other processes") != std::string::npos;
    }
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace gilguard::stats
