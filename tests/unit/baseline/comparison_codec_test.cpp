#include "gilguard/baseline/comparison_codec.hpp"

#include <gtest/gtest.h>

#include "unit/report/sample_comparison.hpp"

namespace gilguard::baseline {
namespace {

void expect_same(const Comparison& a, const Comparison& b) {
  EXPECT_EQ(a.overall, b.overall);
  EXPECT_EQ(a.baseline_key, b.baseline_key);
  EXPECT_EQ(a.baseline_path, b.baseline_path);
  EXPECT_EQ(a.threshold, b.threshold);
  EXPECT_EQ(a.failed_checks, b.failed_checks);
  ASSERT_EQ(a.metrics.size(), b.metrics.size());
  for (std::size_t i = 0; i < a.metrics.size(); ++i) {
    const auto& x = a.metrics[i];
    const auto& y = b.metrics[i];
    EXPECT_EQ(x.id, y.id) << i;
    EXPECT_EQ(x.gating, y.gating) << i;
    EXPECT_EQ(x.verdict, y.verdict) << i;
    EXPECT_EQ(x.current.value, y.current.value) << i;
    EXPECT_EQ(x.current.low, y.current.low) << i;
    EXPECT_EQ(x.current.high, y.current.high) << i;
    EXPECT_EQ(x.current.rounds, y.current.rounds) << i;
    EXPECT_EQ(x.baseline, y.baseline) << i;
    EXPECT_EQ(x.baseline_low, y.baseline_low) << i;
    EXPECT_EQ(x.baseline_high, y.baseline_high) << i;
    EXPECT_EQ(x.change, y.change) << i;
    EXPECT_EQ(x.baseline_runs, y.baseline_runs) << i;
    EXPECT_EQ(x.explanation, y.explanation) << i;
  }
}

TEST(ComparisonCodec, RoundTripsExactly) {
  for (const auto& original : {test::regression_comparison(), test::no_baseline_comparison(),
                               test::failed_check_comparison(), Comparison{}}) {
    const std::string text = comparison_to_json_text(original);
    auto back = comparison_from_json_text(text);
    ASSERT_TRUE(back) << back.error().message << "\n" << text;
    expect_same(original, *back);
    EXPECT_EQ(comparison_to_json_text(*back), text);
  }
}

TEST(ComparisonCodec, TheWorkloadNoteRoundTripsAndIsLeftOutWithoutOne) {
  Comparison original = test::regression_comparison();
  EXPECT_EQ(comparison_to_json_text(original).find("workload_note"), std::string::npos);
  original.workload_note = "The workload file w.py changed since the baseline was recorded.";
  const std::string text = comparison_to_json_text(original);
  auto back = comparison_from_json_text(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->workload_note, original.workload_note);
  EXPECT_EQ(comparison_to_json_text(*back), text);
}

TEST(ComparisonCodec, AnAbComparisonKeepsItsBaseAndPairedIntervals) {
  Comparison original = test::regression_comparison();
  original.ab = true;
  original.base_label = "abc123";
  original.head_version = "3.14.7";
  original.base_version = "3.13.5";
  original.metrics[0].change_low = -0.08;
  original.metrics[0].change_high = -0.03;
  original.metrics.push_back(original.metrics[0]);
  original.metrics.back().id = {MetricKind::time, Flavor::gil, 1};
  const std::string text = comparison_to_json_text(original);
  EXPECT_NE(text.find("\"schema_version\": 3"), std::string::npos) << text;
  EXPECT_NE(text.find("\"metric\": \"gil-time\""), std::string::npos) << text;
  auto back = comparison_from_json_text(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->ab);
  EXPECT_EQ(back->base_label, "abc123");
  EXPECT_EQ(back->head_version, "3.14.7");
  EXPECT_EQ(back->base_version, "3.13.5");
  EXPECT_EQ(back->metrics[0].change_low, -0.08);
  EXPECT_EQ(back->metrics[0].change_high, -0.03);
  EXPECT_EQ(comparison_to_json_text(*back), text);
}

TEST(ComparisonCodec, MissingBaselineIsNull) {
  const std::string text = comparison_to_json_text(test::no_baseline_comparison());
  EXPECT_NE(text.find("\"baseline\": null"), std::string::npos) << text;
  EXPECT_NE(text.find("\"metric\": \"ft-speedup-4\""), std::string::npos);
  EXPECT_NE(text.find("\"overall\": \"no-baseline\""), std::string::npos);
}

TEST(ComparisonCodec, ErrorsNameTheField) {
  std::string text = comparison_to_json_text(test::regression_comparison());
  const auto replace = [&text](const std::string& from, const std::string& to) {
    std::string copy = text;
    copy.replace(copy.find(from), from.size(), to);
    return copy;
  };
  auto bad_verdict =
      comparison_from_json_text(replace("\"verdict\": \"regression\"", "\"verdict\": \"worse\""));
  ASSERT_FALSE(bad_verdict);
  EXPECT_EQ(bad_verdict.error().message,
            "metrics[2].verdict: 'worse' is not a verdict (pass, regression, improvement, "
            "inconclusive, no-baseline)");
  auto bad_metric = comparison_from_json_text(
      replace("\"metric\": \"ft-speedup-1\"", "\"metric\": \"ft-speedup-0\""));
  ASSERT_FALSE(bad_metric);
  EXPECT_EQ(bad_metric.error().message,
            "metrics[0].metric: 'ft-speedup-0' is not a metric name (like ft-speedup-4 or "
            "ft-overhead)");
  auto bad_version =
      comparison_from_json_text(replace("\"schema_version\": 2", "\"schema_version\": 7"));
  ASSERT_FALSE(bad_version);
  EXPECT_EQ(bad_version.error().message,
            "schema_version: this gilguard reads comparisons with schema_version 1 to 3, not 7; "
            "rerun 'gilguard compare' with this version");
  auto syntax = comparison_from_json_text("{\n  \"schema_version\": 1,\n  oops\n}");
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().message.rfind("line 3, column 3", 0), 0u) << syntax.error().message;
}

}  // namespace
}  // namespace gilguard::baseline

namespace gilguard::baseline {
namespace {

TEST(ComparisonCodec, TheLossSplitsRoundTripAndAreLeftOutWithoutThem) {
  auto original = test::regression_comparison();
  original.metrics[1].current.split = LossSplit{0.25, 0.125, 0.0, 20};
  original.metrics[1].baseline_split = LossSplit{0.0625, 0.125, 0.0, 30};
  const std::string text = comparison_to_json_text(original);
  auto back = comparison_from_json_text(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->metrics[1].current.split, original.metrics[1].current.split);
  EXPECT_EQ(back->metrics[1].baseline_split, original.metrics[1].baseline_split);
  EXPECT_FALSE(back->metrics[0].current.split);
  EXPECT_EQ(comparison_to_json_text(test::regression_comparison()).find("split"),
            std::string::npos);
}

}  // namespace
}  // namespace gilguard::baseline
