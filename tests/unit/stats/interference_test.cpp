#include "gilguard/stats/interference.hpp"

#include <gtest/gtest.h>

namespace gilguard::stats {
namespace {

RegionLoad region(double wall, int workers, double wait, double other_cpu = 0) {
  RegionLoad load;
  load.wall = wall;
  load.workers = workers;
  load.wait = wait;
  load.other_cpu = other_cpu;
  load.steal = 0;
  load.throttled = 0;
  return load;
}

Sample sample_with(const RegionLoad& par, int round = 1) {
  Sample s;
  s.round = round;
  s.ok = true;
  s.cpus = 2;
  s.cell = {Flavor::ft, 2, true};
  s.seq_load = region(1.0, 1, 0.001);
  s.par_load = par;
  return s;
}

TEST(Interference, WaitingWorkersLoseTheirShareOfTheRegion) {
  // Two workers for 1 s, 0.2 s of waiting between them: 10% of their time.
  EXPECT_NEAR(region_loss(region(1.0, 2, 0.2), 2).others, 0.10, 1e-12);
}

TEST(Interference, TheChildsOwnThreadsAreItsCostNotInterference) {
  // The workers waited 0.3 s while the child's own other threads ran 0.3 s: a hog the code
  // under test started, which must show in the speedup, not be set aside.
  EXPECT_NEAR(region_loss(region(1.0, 2, 0.3, 0.3), 2).total(), 0.0, 1e-12);
  EXPECT_NEAR(region_loss(region(1.0, 2, 0.3, 0.1), 2).others, 0.10, 1e-12);
}

TEST(Interference, MoreWorkersThanCpusAreNotJudged) {
  EXPECT_DOUBLE_EQ(region_loss(region(1.0, 4, 2.0), 2).total(), 0.0);
}

TEST(Interference, StealAndThrottlingCount) {
  RegionLoad load = region(2.0, 2, 0);
  load.steal = 0.4;      // of 2 CPUs over 2 s: 10%
  load.throttled = 0.2;  // 10% of the wall time stopped
  const RegionLoss loss = region_loss(load, 2);
  EXPECT_NEAR(loss.steal, 0.10, 1e-12);
  EXPECT_NEAR(loss.quota, 0.10, 1e-12);
  // Throttling is the machine's capacity (it slows threads and processes alike): reported, but
  // not interference.
  EXPECT_NEAR(loss.total(), 0.10, 1e-12);
}

TEST(Interference, WaitingWhileThrottledIsTheQuotasNotANeighbours) {
  // Two workers for 1 s; the group was throttled 0.1 s, which the kernel also counts as their
  // run-queue delay (0.2 s): no neighbour took anything.
  RegionLoad load = region(1.0, 2, 0.2);
  load.throttled = 0.1;
  const RegionLoss loss = region_loss(load, 2);
  EXPECT_NEAR(loss.others, 0.0, 1e-12);
  EXPECT_NEAR(loss.quota, 0.10, 1e-12);
  // A neighbour's share on top of it still counts.
  load.wait = 0.3;
  EXPECT_NEAR(region_loss(load, 2).others, 0.05, 1e-12);
}

TEST(Interference, TheSummaryReportsTheMostThrottledRegion) {
  // The sequential region is the worst by interference; the reference region is the most
  // throttled one, and that is what the summary reports.
  Sample s = sample_with(region(1.0, 2, 0.0));
  s.seq_load = region(1.0, 1, 0.02);
  RegionLoad throttled = region(1.0, 2, 0.6);
  throttled.throttled = 0.3;
  s.ref_load = throttled;
  s.t_ref = 0.5;
  const auto summary = interference_summary({s});
  ASSERT_TRUE(summary.has_value());
  EXPECT_NEAR(summary->throttled, 0.3, 1e-12);
  EXPECT_NEAR(summary->worst, 0.02, 1e-12);
}

TEST(Interference, UnknownReadingsLoseNothing) {
  RegionLoad load;
  load.wall = 1;
  load.workers = 2;
  EXPECT_DOUBLE_EQ(region_loss(load, 2).total(), 0.0);
  Sample old;
  old.ok = true;
  old.round = 1;
  EXPECT_FALSE(sample_loss(old).has_value());
  EXPECT_FALSE(is_disturbed(old));
}

TEST(Interference, DisturbedSamplesAreCountedAndNamed) {
  const std::vector<Sample> samples = {sample_with(region(1.0, 2, 0.01)),
                                       sample_with(region(1.0, 2, 0.5), 2),
                                       sample_with(region(1.0, 2, 0.5), 0)};  // warm-up: ignored
  EXPECT_FALSE(is_disturbed(samples[0]));
  EXPECT_TRUE(is_disturbed(samples[1]));
  const auto summary = interference_summary(samples);
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->samples, 2);
  EXPECT_EQ(summary->set_aside, 1);
  EXPECT_NEAR(summary->worst, 0.25, 1e-12);
  EXPECT_EQ(summary->dominant, "other processes");
}

TEST(Interference, ANeighbourHittingBothSplitsAlikeLeavesTheRelativeSpeedup) {
  // A process spinning on one CPU took 15% of both the threaded and the reference region: the
  // ratio of the two is still good, the raw speedup and the sequential time are not.
  Sample s = sample_with(region(1.0, 2, 0.30));
  s.t_seq = 1.0;
  s.t_par = 0.6;
  s.t_ref = 0.6;
  s.seq_load = region(1.0, 1, 0.3);
  s.ref_load = region(1.0, 2, 0.29);
  EXPECT_FALSE(disturbs_relative(s));
  EXPECT_TRUE(disturbs_speedup(s));
  EXPECT_TRUE(disturbs_sequential(s));
  EXPECT_FALSE(is_disturbed(s));  // a two-thread sample with a reference gives the ratio
  // One that hit only the threaded region makes the ratio wrong.
  s.ref_load = region(1.0, 2, 0.0);
  EXPECT_TRUE(disturbs_relative(s));
  EXPECT_TRUE(is_disturbed(s));
}

}  // namespace
}  // namespace gilguard::stats
