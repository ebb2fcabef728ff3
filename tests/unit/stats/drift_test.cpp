#include "gilguard/stats/drift.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace gilguard::stats {
namespace {

const MetricId k_rel2{MetricKind::relative, Flavor::ft, 2};
const MetricId k_ft2{MetricKind::speedup, Flavor::ft, 2};
const MetricId k_gil2{MetricKind::speedup, Flavor::gil, 2};
const MetricId k_overhead{MetricKind::overhead, Flavor::ft, 1};

Estimate estimate(double v) { return {v, v * 0.99, v * 1.01, 30, {}}; }

// `relatives.size()` runs, oldest first, each with the speedup against processes given, a raw
// speedup 1.6 times it, a GIL speedup of 0.5 times it and the overhead given (1.10 when none).
std::vector<BaselineRun> runs(const std::vector<double>& relatives,
                              const std::vector<double>& overheads = {},
                              const std::string& cpu = "c") {
  std::vector<BaselineRun> out;
  for (std::size_t i = 0; i < relatives.size(); ++i) {
    BaselineRun run;
    run.provenance.machine_id = "vm" + std::to_string(i);
    run.provenance.cpu_key = cpu;
    run.metrics.emplace_back(k_rel2, estimate(relatives[i]));
    run.metrics.emplace_back(k_ft2, estimate(1.6 * relatives[i]));
    run.metrics.emplace_back(k_gil2, estimate(0.5 * relatives[i]));
    run.metrics.emplace_back(k_overhead, estimate(i < overheads.size() ? overheads[i] : 1.10));
    out.push_back(run);
  }
  return out;
}

// Ten runs, each 1% below the one before: every step passes, the window's ends are 7% apart.
std::vector<double> stepping_down() {
  std::vector<double> out;
  for (int i = 0; i < 10; ++i) out.push_back(0.98 * std::pow(0.99, i));
  return out;
}

TEST(BaselineDrift, SmallStepsThatAddUpArePastTheThreshold) {
  const auto drifts = baseline_drift(runs(stepping_down()));
  // Only the gating metric: the raw and GIL speedups fell as much but inform.
  ASSERT_EQ(drifts.size(), 1u);
  const BaselineDrift& d = drifts.front();
  EXPECT_EQ(d.id, k_rel2);
  EXPECT_EQ(d.runs, 3);
  EXPECT_DOUBLE_EQ(d.threshold, 0.05);
  EXPECT_NEAR(d.oldest, 0.98 * 0.99, 1e-9);  // geometric mean of 0.98 x 0.99^{0,1,2}
  EXPECT_NEAR(d.newest, 0.98 * std::pow(0.99, 8), 1e-9);
  EXPECT_NEAR(d.newest / d.oldest - 1, std::pow(0.99, 7) - 1, 1e-9);
}

TEST(BaselineDrift, AFlatOrNoisyBaselineHasNone) {
  EXPECT_TRUE(baseline_drift(runs({0.98, 0.97, 0.99, 0.98, 0.985, 0.975, 0.97, 0.99})).empty());
  // Within the threshold: 1% in all, or 3% in half-steps.
  EXPECT_TRUE(baseline_drift(runs({1.0, 1.0, 1.0, 0.99, 0.99, 0.99})).empty());
  EXPECT_TRUE(
      baseline_drift(runs({1.0, 0.995, 0.99, 0.985, 0.98, 0.975, 0.97, 0.97, 0.97})).empty());
}

TEST(BaselineDrift, AnImprovementIsNoDrift) {
  std::vector<double> up;
  for (int i = 0; i < 10; ++i) up.push_back(0.9 * std::pow(1.02, i));
  EXPECT_TRUE(baseline_drift(runs(up)).empty());
}

TEST(BaselineDrift, FewerThanTwoGroupsOfRunsAreNotJudged) {
  EXPECT_TRUE(baseline_drift(runs({1.0, 0.95, 0.9, 0.85, 0.8})).empty());
  EXPECT_EQ(baseline_drift(runs({1.0, 1.0, 1.0, 0.85, 0.85, 0.85})).size(), 1u);
  EXPECT_TRUE(baseline_drift({}).empty());
}

TEST(BaselineDrift, TheOverheadDriftsUpAndOnlyWithinTheNewestRunsCpu) {
  const std::vector<double> flat(8, 0.98);
  const auto up = baseline_drift(runs(flat, {1.10, 1.10, 1.10, 1.13, 1.15, 1.17, 1.18, 1.18}));
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up.front().id, k_overhead);
  EXPECT_GT(up.front().newest, up.front().oldest);
  // The oldest runs on another CPU: only the newest CPU's runs count, too few to judge.
  auto mixed = runs(flat, {1.10, 1.10, 1.10, 1.13, 1.15, 1.17, 1.18, 1.18});
  for (std::size_t i = 0; i < 4; ++i) mixed[i].provenance.cpu_key = "other";
  EXPECT_TRUE(baseline_drift(mixed).empty());
}

TEST(BaselineDrift, RunsWithoutTheReferenceJudgeTheRawSpeedup) {
  auto old_runs = runs(stepping_down());
  for (auto& run : old_runs)
    std::erase_if(run.metrics, [](const auto& m) { return m.first.kind == MetricKind::relative; });
  const auto drifts = baseline_drift(old_runs);
  ASSERT_EQ(drifts.size(), 1u);
  EXPECT_EQ(drifts.front().id, k_ft2);
}

TEST(BaselineDrift, TheThresholdIsTheComparisons) {
  CompareOptions wide;
  wide.threshold = 0.10;
  EXPECT_TRUE(baseline_drift(runs(stepping_down()), wide).empty());
}

}  // namespace
}  // namespace gilguard::stats
