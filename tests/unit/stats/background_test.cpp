// The code under test's background work: read per round from the regions' readings, judged
// against a fixed limit, named by what burned it, and never taken for interference.
#include "gilguard/stats/background.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gilguard/stats/ab.hpp"
#include "gilguard/stats/compare.hpp"
#include "gilguard/stats/interference.hpp"

namespace gilguard::stats {
namespace {

using ::testing::HasSubstr;

RegionLoad region(double wall, int workers, std::optional<double> background) {
  RegionLoad load;
  load.wall = wall;
  load.workers = workers;
  load.wait = 0;
  load.other_cpu = 0;
  load.steal = 0;
  load.throttled = 0;
  load.background = background;
  return load;
}

// One ok sample of `flavor` at 2 threads whose three regions burned `share` of a CPU beside
// their workers (slightly different per round).
Sample sample(int round, Flavor flavor, double share, Side side = Side::head) {
  Sample s;
  s.round = round;
  s.ok = true;
  s.cpus = 2;
  s.cell = {flavor, 2, true, side};
  s.t_seq = 1.0;
  s.t_par = 0.55;
  s.t_ref = 0.54;
  const double wobble = 1 + 0.01 * (round % 5);
  s.seq_load = region(1.0, 1, share * 1.0 * wobble);
  s.par_load = region(0.5, 2, share * 0.5 * wobble);
  s.ref_load = region(0.5, 2, share * 0.5 * wobble);
  s.background_source = "cgroup v1 cpuacct";
  return s;
}

std::vector<Sample> run(double ft_share, double gil_share = 0.002, int rounds = 12) {
  std::vector<Sample> out;
  for (int r = 1; r <= rounds; ++r) {
    out.push_back(sample(r, Flavor::ft, ft_share));
    out.push_back(sample(r, Flavor::gil, gil_share));
  }
  return out;
}

TEST(Background, OneValuePerRoundAndFlavourFromEveryRegion) {
  const auto metrics = background_samples(run(0.5));
  ASSERT_EQ(metrics.size(), 2U);
  const auto& ft = metrics[1].id.flavor == Flavor::ft ? metrics[1] : metrics[0];
  EXPECT_EQ(ft.id.kind, MetricKind::background);
  ASSERT_EQ(ft.values.size(), 12U);
  EXPECT_NEAR(ft.values[0], 0.5 * 1.01, 1e-12);  // round 1: (0.505 + 0.2525 + 0.2525) / 2.0
}

TEST(Background, ARoundWithoutTheReadingGivesNoValue) {
  std::vector<Sample> samples = run(0.5);
  samples[0].par_load->background.reset();  // round 1, ft: an older child
  const auto metrics = background_samples(samples);
  const auto& ft = metrics[1].id.flavor == Flavor::ft ? metrics[1] : metrics[0];
  EXPECT_EQ(ft.values.size(), 11U);
  Sample old = sample(1, Flavor::ft, 0.5);
  old.seq_load->background.reset();
  old.par_load->background.reset();
  old.ref_load->background.reset();
  EXPECT_TRUE(background_samples({old}).empty());
}

TEST(Background, AHogIsARegressionNamingWhatBurnedIt) {
  std::vector<Sample> samples = run(0.9);
  samples[0].background_by = {{"thread", "spinner", 3.5}};
  samples[2].background_by = {{"thread", "spinner", 3.0}, {"process", "python3 (pid 7)", 0.1}};
  const auto out = compare_backgrounds(samples);
  ASSERT_EQ(out.size(), 2U);
  const auto& ft = out[0].id.flavor == Flavor::ft ? out[0] : out[1];
  const auto& gil = out[0].id.flavor == Flavor::ft ? out[1] : out[0];
  EXPECT_EQ(ft.verdict, Verdict::regression);
  EXPECT_TRUE(ft.gating);
  EXPECT_THAT(ft.explanation, HasSubstr("burned 0."));
  EXPECT_THAT(ft.explanation, HasSubstr("outside its timed workers on the free-threaded build"));
  EXPECT_THAT(ft.explanation, HasSubstr("thread \"spinner\" (6.50 s of CPU)"));
  EXPECT_THAT(ft.explanation, HasSubstr("cgroup v1 cpuacct"));
  EXPECT_EQ(gil.verdict, Verdict::pass);
}

TEST(Background, AtTheLimitEdges) {
  // Just under the limit with a tight interval: pass; just over: regression; straddling:
  // inconclusive.
  const auto verdict_at = [](double share) {
    for (const MetricComparison& m : compare_backgrounds(run(share)))
      if (m.id.flavor == Flavor::ft) return m.verdict;
    return Verdict::no_baseline;
  };
  EXPECT_EQ(verdict_at(0.03), Verdict::pass);
  EXPECT_EQ(verdict_at(0.08), Verdict::regression);
  EXPECT_EQ(verdict_at(0.049), Verdict::inconclusive);
}

TEST(Background, ARegressionWhateverTheBaselineSays) {
  // No baseline at all: the scaling metrics are no-baseline, the hog still fails the run.
  const Comparison c = compare_samples(run(0.9), {}, {});
  EXPECT_EQ(c.overall, Verdict::regression);
  const Comparison quiet = compare_samples(run(0.001), {}, {});
  EXPECT_EQ(quiet.overall, Verdict::no_baseline);
}

TEST(Background, AnAbRunJudgesTheHead) {
  std::vector<Sample> samples;
  for (int r = 1; r <= 12; ++r) {
    samples.push_back(sample(r, Flavor::ft, 0.9, Side::head));
    samples.push_back(sample(r, Flavor::ft, 0.0, Side::base));
  }
  const Comparison c = compare_ab(samples, {});
  EXPECT_EQ(c.overall, Verdict::regression);
}

TEST(Background, TheTreesOwnCpuIsNeverInterference) {
  // The workers waited 0.4 s of a 1 s region while a process the child started burned 0.4 s:
  // the code's own cost, so nothing is set aside.
  RegionLoad load = region(1.0, 2, 0.4);
  load.wait = 0.4;
  EXPECT_NEAR(region_loss(load, 2).total(), 0.0, 1e-12);
  load.background = 0.1;
  EXPECT_NEAR(region_loss(load, 2).others, 0.15, 1e-12);
}

}  // namespace
}  // namespace gilguard::stats
