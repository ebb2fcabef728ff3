#include "gilguard/measure/summary.hpp"

#include <gtest/gtest.h>

namespace gilguard::measure {
namespace {

Sample sample(Flavor flavor, int threads, int round, double t_seq, double t_par,
              std::vector<double> thread_times = {}, bool ok = true) {
  Sample s;
  s.cell = {flavor, threads, true};
  s.round = round;
  s.t_seq = t_seq;
  s.t_par = t_par;
  s.thread_times = std::move(thread_times);
  s.ok = ok;
  return s;
}

TEST(Summary, LoadImbalanceIsMaxOverMean) {
  EXPECT_DOUBLE_EQ(load_imbalance({1, 1}), 1);
  EXPECT_DOUBLE_EQ(load_imbalance({1, 3}), 1.5);
  EXPECT_DOUBLE_EQ(load_imbalance({}), 0);
}

TEST(Summary, CellsUseMeasuredOkSamplesOnly) {
  const std::vector<Sample> samples{
      sample(Flavor::ft, 2, 0, 9, 1, {1, 1}),  // warm-up: ignored
      sample(Flavor::ft, 2, 1, 2, 1, {0.5, 1.5}),
      sample(Flavor::ft, 2, 2, 3, 1, {1, 1}),
      sample(Flavor::ft, 2, 3, 4, 1, {1, 2}),
      sample(Flavor::ft, 2, 4, 100, 1, {1, 1}, false),  // failed: ignored
      sample(Flavor::gil, 2, 1, 2, 2, {1, 1}),
  };
  const auto summaries = summarize_cells(
      {{Flavor::gil, 2, true}, {Flavor::ft, 2, true}, {Flavor::ft, 4, false}}, samples);
  ASSERT_EQ(summaries.size(), 3u);
  EXPECT_EQ(summaries[0].rounds, 1);
  EXPECT_DOUBLE_EQ(summaries[0].median_speedup, 1);
  EXPECT_EQ(summaries[1].rounds, 3);
  EXPECT_DOUBLE_EQ(summaries[1].median_speedup, 3);
  EXPECT_DOUBLE_EQ(summaries[1].efficiency, 1.5);
  EXPECT_DOUBLE_EQ(summaries[1].load_imbalance, 4.0 / 3.0);  // median of 1.5, 1, 4/3
  EXPECT_DOUBLE_EQ(summaries[1].median_t_seq, 3);
  EXPECT_EQ(summaries[2].rounds, 0);
  EXPECT_FALSE(summaries[2].cell.gated);
}

TEST(Summary, FtOverheadIsPairedWithinRounds) {
  const std::vector<Sample> samples{
      sample(Flavor::gil, 1, 1, 2.0, 2), sample(Flavor::ft, 1, 1, 2.2, 2),  // 1.1
      sample(Flavor::gil, 1, 2, 1.0, 1), sample(Flavor::ft, 1, 2, 1.3, 1),  // 1.3
      sample(Flavor::gil, 1, 3, 4.0, 4), sample(Flavor::ft, 1, 3, 4.8, 4),  // 1.2
      sample(Flavor::ft, 1, 4, 9.0, 9),                                     // unpaired
      sample(Flavor::gil, 2, 1, 1.0, 1), sample(Flavor::ft, 2, 1, 5.0, 1),  // not T=1
  };
  ASSERT_TRUE(ft_overhead(samples).has_value());
  EXPECT_NEAR(*ft_overhead(samples), 1.2, 1e-12);
}

TEST(Summary, FtOverheadFallsBackToTheSmallestThreadCount) {
  const std::vector<Sample> samples{
      sample(Flavor::gil, 4, 1, 2.0, 2), sample(Flavor::ft, 4, 1, 3.0, 1),
      sample(Flavor::gil, 2, 1, 2.0, 2), sample(Flavor::ft, 2, 1, 2.5, 1),
      sample(Flavor::ft, 1, 1, 2.0, 2),  // no GIL partner at 1 thread
  };
  EXPECT_NEAR(*ft_overhead(samples), 1.25, 1e-12);
  EXPECT_FALSE(ft_overhead({sample(Flavor::gil, 1, 1, 1, 1)}).has_value());
}

}  // namespace
}  // namespace gilguard::measure
