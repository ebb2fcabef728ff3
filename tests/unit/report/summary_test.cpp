#include "gilguard/report/summary.hpp"

#include <gtest/gtest.h>

#include "unit/report/golden.hpp"
#include "unit/report/sample_comparison.hpp"

namespace gilguard::report {
namespace {

ReportLinks links() {
  ReportLinks l;
  l.run_url = "https://github.com/octo-org/octo-repo/actions/runs/1658821493";
  l.results_path = "gilguard-results.json";
  l.comparison_path = "gilguard-comparison.json";
  l.baselines_dir = "baselines";
  l.update_workflow = ".github/workflows/gilguard-baseline.yml";
  l.commit = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
  return l;
}

TEST(Summary, RegressionMatchesGolden) {
  const auto run = test::sample_run();
  test::expect_golden("summary-regression.md",
                      render_summary(test::regression_comparison(), &run, links()));
}

TEST(Summary, NoBaselineMatchesGolden) {
  const auto run = test::sample_run();
  test::expect_golden("summary-no-baseline.md",
                      render_summary(test::no_baseline_comparison(), &run, links()));
}

TEST(Summary, FailedCheckWithoutRunMatchesGolden) {
  test::expect_golden("summary-failed-check.md",
                      render_summary(test::failed_check_comparison(), nullptr, links()));
}

TEST(Summary, VerdictSentenceComesFirst) {
  const auto run = test::sample_run();
  const std::string md = render_summary(test::regression_comparison(), &run, links());
  EXPECT_EQ(md.rfind("## ❌ gilguard: Regression\n\nThe free-threaded speedup at 4 threads is "
                     "12.2% below its baseline (3.18x against 3.62x)",
                     0),
            0u)
      << md.substr(0, 300);
}

TEST(Summary, ChartHasOneLinePerSeriesAndAFallbackTable) {
  const std::string chart = render_speedup_chart(test::regression_comparison());
  EXPECT_NE(chart.find("```mermaid\n"), std::string::npos);
  EXPECT_NE(chart.find("xychart-beta\n"), std::string::npos);
  EXPECT_NE(chart.find("  x-axis \"threads\" [\"1\", \"2\", \"4\", \"8\"]\n"), std::string::npos);
  EXPECT_NE(chart.find("  line [1.00, 2.00, 4.00, 8.00]\n"), std::string::npos);  // ideal
  EXPECT_NE(chart.find("  line [1.00, 1.93, 3.18, 3.05]\n"), std::string::npos);  // ft run
  EXPECT_NE(chart.find("  line [1.00, 1.95, 3.62, 3.60]\n"), std::string::npos);  // ft base
  EXPECT_NE(chart.find("| 4 | 4.00x | 3.18x | 3.62x | 0.98x | 0.99x |"), std::string::npos);
}

TEST(Summary, ChartLeavesOutABaselineLineWithGaps) {
  auto comparison = test::regression_comparison();
  comparison.metrics[3].baseline.reset();  // ft at 8 threads has no baseline
  const std::string chart = render_speedup_chart(comparison);
  EXPECT_EQ(chart.find("light blue: free-threaded, baseline"), std::string::npos);
  EXPECT_NE(chart.find("blue: free-threaded, this run"), std::string::npos);
  EXPECT_EQ(render_speedup_chart(Comparison{}), "");
}

TEST(Summary, ChartStartsAtOneThreadWhenThatWasNotCompared) {
  auto comparison = test::regression_comparison();
  std::erase_if(comparison.metrics, [](const MetricComparison& m) {
    return m.id.kind == MetricKind::speedup && m.id.threads == 1;
  });
  const std::string chart = render_speedup_chart(comparison);
  EXPECT_NE(chart.find("  x-axis \"threads\" [\"1\", \"2\", \"4\", \"8\"]\n"), std::string::npos);
  EXPECT_NE(chart.find("  line [1.00, 1.93, 3.18, 3.05]\n"), std::string::npos) << chart;
  EXPECT_NE(chart.find("starts at 1.00x, the speedup by definition"), std::string::npos);
  // The table keeps to measured numbers.
  EXPECT_EQ(chart.find("| 1 | 1.00x |"), std::string::npos);
  EXPECT_NE(chart.find("| 2 | 2.00x | 1.93x |"), std::string::npos);
}

TEST(Summary, StaysUnderTheLimitWithHugeRunOutput) {
  auto comparison = test::failed_check_comparison();
  comparison.failed_checks.push_back(std::string(3'000'000, 'x') + "\n```\n</details>\n");
  const std::string md = render_summary(comparison, nullptr, links());
  EXPECT_LE(md.size(), k_summary_limit);
  EXPECT_NE(md.find("cut to fit GitHub's 1 MiB limit"), std::string::npos);
  EXPECT_EQ(md.rfind("## ❌ gilguard: Failed check", 0), 0u);
}

TEST(Summary, OutsideTextCannotAddMarkdownOrMentions) {
  auto comparison = test::regression_comparison();
  comparison.baseline_key = "key|<img src=x>@octocat";
  comparison.metrics[2].explanation = "see [link](http://evil) and @octocat <b>bold</b> | pipe";
  const std::string md = render_summary(comparison, nullptr, links());
  // The key is quoted as code (its pipe escaped for the table), never raw HTML.
  EXPECT_NE(md.find("`key\\|<img src=x>@octocat`"), std::string::npos);
  EXPECT_EQ(md.find("<img"), md.find("`key\\|<img") + 6);
  EXPECT_EQ(md.find("<b>"), std::string::npos);
  EXPECT_EQ(md.find("[link](http"), std::string::npos);
  EXPECT_EQ(md.find(" @octocat"), std::string::npos);
}

}  // namespace
}  // namespace gilguard::report
