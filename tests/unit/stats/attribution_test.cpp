#include "gilguard/stats/attribution.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gilguard::stats {
namespace {

// A combined load of two regions (A B B A) of `workers` workers, each region `span` seconds:
// the workers' CPU and run-queue delay summed over both regions.
RegionLoad load(int workers, double span, double cpu, double wait) {
  RegionLoad l;
  l.wall = 2 * span * 1.01;  // the counters' window is a little wider than the workers' span
  l.regions = 2;
  l.workers = workers;
  l.wait = wait * 2;
  l.workers_cpu = cpu * 2;
  l.other_cpu = 0;
  l.background = 0;
  l.steal = 0;
  l.throttled = 0;
  return l;
}

// A free-threaded 2-thread sample: threads and processes with per-region CPU, delay and each
// worker's own seconds.
Sample sample(double t_par, double par_cpu, double par_wait, std::vector<double> thread_times,
              double t_ref, double ref_cpu, double ref_wait, std::vector<double> ref_times,
              int round = 1) {
  Sample s;
  s.round = round;
  s.ok = true;
  s.cpus = 2;
  s.cell = {Flavor::ft, 2, true};
  s.t_seq = 2 * t_ref;
  s.t_par = t_par;
  s.t_ref = t_ref;
  s.thread_times = std::move(thread_times);
  s.ref_times = std::move(ref_times);
  s.par_load = load(2, t_par, par_cpu, par_wait);
  s.ref_load = load(2, t_ref, ref_cpu, ref_wait);
  return s;
}

TEST(Attribution, MoreCpuPerItemIsAllCpu) {
  // The threads burn 30% more CPU on the same chunks and are never off the CPU.
  const auto split = round_split(sample(1.3, 2.6, 0, {1.3, 1.3}, 1.0, 2.0, 0, {1.0, 1.0}));
  ASSERT_TRUE(split);
  EXPECT_NEAR(split->cpu, std::log(1.3), 1e-12);
  EXPECT_NEAR(split->waiting, 0, 1e-12);
  EXPECT_NEAR(split->machine, 0, 1e-12);
  // A file before issue 23 does not say how many regions its loads sum: wall over span, rounded.
  Sample old = sample(1.3, 2.6, 0, {1.3, 1.3}, 1.0, 2.0, 0, {1.0, 1.0});
  old.par_load->regions = 0;
  old.ref_load->regions = 0;
  EXPECT_EQ(round_split(old), split);
}

TEST(Attribution, ThePartsSumToTheLossExactly) {
  // Some of everything, and uneven finishes: still exact.
  const Sample s = sample(1.5, 2.2, 0.3, {1.4, 1.5}, 1.1, 2.0, 0.05, {1.05, 1.1});
  const auto split = round_split(s);
  ASSERT_TRUE(split);
  EXPECT_NEAR(split->total(), std::log(1.5 / 1.1), 1e-12);
  EXPECT_GT(split->cpu, 0);
  EXPECT_GT(split->machine, 0);
  EXPECT_GT(split->waiting, 0);
}

TEST(Attribution, ANeighbourOnOneWorkersCpuIsTheMachineEvenForTheOtherWorkersIdleEnd) {
  // Worker 2 shares its CPU half with a neighbour: it waits 1 s on the run queue and ends at
  // 2 s; worker 1 is done at 1 s and idles for the rest of the span. All of the loss is the
  // machine's: the idle end follows the off-CPU time's shares.
  const auto split = round_split(sample(2.0, 2.0, 1.0, {1.0, 2.0}, 1.0, 2.0, 0, {1.0, 1.0}));
  ASSERT_TRUE(split);
  EXPECT_NEAR(split->machine, std::log(2.0), 1e-12);
  EXPECT_NEAR(split->waiting, 0, 1e-12);
  EXPECT_EQ(largest_part(*split), LossPart::machine);
}

TEST(Attribution, ALockThatParksIsWaiting) {
  // Both threads spend 0.4 s of 1.4 s parked (off the CPU, not on the run queue).
  const auto split = round_split(sample(1.4, 2.0, 0, {1.4, 1.4}, 1.0, 2.0, 0, {1.0, 1.0}));
  ASSERT_TRUE(split);
  EXPECT_NEAR(split->waiting, std::log(1.4), 1e-12);
  EXPECT_EQ(largest_part(*split), LossPart::waiting);
}

TEST(Attribution, TheChildsOwnThreadsAreNotTheMachine) {
  // The run-queue delay is the child's own background thread's doing: waiting, not machine.
  Sample s = sample(1.4, 2.0, 0.4, {1.4, 1.4}, 1.0, 2.0, 0, {1.0, 1.0});
  s.par_load->background = 0.8;  // both regions together
  const auto split = round_split(s);
  ASSERT_TRUE(split);
  EXPECT_NEAR(split->machine, 0, 1e-12);
  EXPECT_NEAR(split->waiting, std::log(1.4), 1e-12);
}

TEST(Attribution, StealIsTheMachines) {
  // The workers' clocks leave stolen time out: 0.8 s of steal on 2 CPUs over both regions is
  // 0.4 s per region for the 2 workers, all of their time off the CPU.
  Sample s = sample(1.2, 2.0, 0, {1.2, 1.2}, 1.0, 2.0, 0, {1.0, 1.0});
  s.par_load->steal = 0.8;
  const auto split = round_split(s);
  ASSERT_TRUE(split);
  EXPECT_NEAR(split->machine, std::log(1.2), 1e-12);
}

TEST(Attribution, NoSplitWithoutTheReadings) {
  Sample s = sample(1.2, 2.0, 0, {1.2, 1.2}, 1.0, 2.0, 0, {1.0, 1.0});
  s.ref_load->workers_cpu.reset();  // a file before issue 21
  EXPECT_FALSE(round_split(s));
  s = sample(1.2, 2.0, 0, {1.2, 1.2}, 1.0, 2.0, 0, {1.0, 1.0});
  s.t_ref = 0;  // no reference
  EXPECT_FALSE(round_split(s));
}

TEST(Attribution, AMetricsSplitIsEachPartsMedianOverItsRounds) {
  std::vector<Sample> samples;
  for (int round = 1; round <= 3; ++round)
    samples.push_back(sample(1.0 + 0.1 * round, 2.0 + 0.2 * round, 0, {1.2, 1.2}, 1.0, 2.0, 0,
                             {1.0, 1.0}, round));
  samples.push_back(samples.front());
  samples.back().round = 0;  // the warm-up: left out
  const auto split = metric_split(samples, MetricId{MetricKind::relative, Flavor::ft, 2});
  ASSERT_TRUE(split);
  EXPECT_EQ(split->rounds, 3);
  EXPECT_NEAR(split->cpu, std::log(2.4 / 2.0), 1e-12);
  EXPECT_FALSE(metric_split(samples, MetricId{MetricKind::speedup, Flavor::ft, 2}));
}

TEST(Attribution, TheBaselinesSplitIsTheMedianOfItsRunsThatRecordedOne) {
  const MetricId id{MetricKind::relative, Flavor::ft, 2};
  std::vector<BaselineRun> runs(3);
  for (auto& run : runs) run.metrics.push_back({id, Estimate{0.9, 0.85, 0.95, 10, {}}});
  EXPECT_FALSE(baseline_split(id, runs));  // old baselines: not recorded
  runs[0].metrics[0].second.split = LossSplit{0.1, 0.02, 0.0, 10};
  runs[2].metrics[0].second.split = LossSplit{0.3, 0.04, 0.01, 10};
  const auto split = baseline_split(id, runs);
  ASSERT_TRUE(split);
  EXPECT_NEAR(split->cpu, 0.2, 1e-12);
  EXPECT_EQ(split->rounds, 20);
}

TEST(Attribution, SharesOfAWholeSumToIt) {
  const auto shares = shares_of(0.147, LossSplit{0.12, 0.015, 0.005, 10});
  ASSERT_TRUE(shares);
  EXPECT_NEAR(shares->total(), 0.147, 1e-15);
  EXPECT_NEAR(shares->cpu, 0.147 * 0.12 / 0.14, 1e-12);
  EXPECT_FALSE(shares_of(0.147, LossSplit{-0.1, 0.05, 0.0, 10}));
  EXPECT_FALSE(shares_of(-0.02, LossSplit{0.1, 0.05, 0.0, 10}));
}

}  // namespace
}  // namespace gilguard::stats
