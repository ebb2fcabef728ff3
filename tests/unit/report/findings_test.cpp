#include "gilguard/report/findings.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "gilguard/report/summary.hpp"
#include "unit/report/sample_comparison.hpp"

namespace gilguard::report {
namespace {

std::vector<std::string> titles(const std::vector<Finding>& findings, Severity severity) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    if (f.severity == severity) out.push_back(f.title);
  }
  return out;
}

TEST(Findings, RegressionIsAnErrorAndInfoOnlyChangesAreNotices) {
  const auto findings = collect_findings(test::regression_comparison(), nullptr);
  EXPECT_EQ(titles(findings, Severity::error),
            std::vector<std::string>{"Regression: free-threaded speedup at 4 threads"});
  EXPECT_EQ(titles(findings, Severity::notice),
            std::vector<std::string>{"Information: free-threaded speedup at 8 threads fell"});
  const auto& error = findings.front();
  EXPECT_EQ(error.message, test::regression_comparison().metrics[2].explanation);
  // Without an explanation the finding says the numbers itself.
  auto bare = test::regression_comparison();
  bare.metrics[2].explanation.clear();
  EXPECT_EQ(collect_findings(bare, nullptr).front().message,
            "3.18x [3.12x, 3.24x] against a baseline of 3.62x (-12.2%), beyond the 5% threshold.");
}

TEST(Findings, FailedChecksComeBeforeRegressionsLargestDropFirst) {
  auto comparison = test::regression_comparison();
  comparison.metrics[1] =
      test::make_metric(test::ft_speedup(2), Verdict::regression, 1.50, 1.45, 1.55, 1.95);
  comparison.failed_checks = {"wrong count"};
  const auto findings = collect_findings(comparison, nullptr);
  EXPECT_EQ(
      titles(findings, Severity::error),
      (std::vector<std::string>{"Failed check", "Regression: free-threaded speedup at 2 threads",
                                "Regression: free-threaded speedup at 4 threads"}));
}

TEST(Findings, SuspiciousMeasurementsAreWarnings) {
  auto run = test::sample_run();
  run.machine.usable_cpus = 1;
  run.machine.load_start = {3.0, 1.0, 0.5};
  Sample sample;
  sample.cell = {Flavor::ft, 2, true};
  sample.warnings = {"RuntimeWarning: The global interpreter lock (GIL) has been enabled"};
  run.samples = {sample, sample};
  auto comparison = test::pass_comparison();
  comparison.metrics[1] =
      test::make_metric(test::ft_speedup(2), Verdict::pass, 1.90, 1.40, 2.40, 1.95);
  comparison.metrics[2] =
      test::make_metric(test::ft_speedup(4), Verdict::inconclusive, 3.40, 2.60, 4.20, 3.62);
  const auto findings = collect_findings(comparison, &run);
  EXPECT_EQ(
      titles(findings, Severity::warning),
      (std::vector<std::string>{"Too few CPUs", "Inconclusive: free-threaded speedup at 4 threads",
                                "Noisy measurement: free-threaded speedup at 2 threads",
                                "Busy machine", "RuntimeWarning (free-threaded)"}));
}

// A changed workload file is a warning in every report (terminal text, summary, annotations).
TEST(Findings, AChangedWorkloadFileIsAWarningInTheReports) {
  auto comparison = test::regression_comparison();
  EXPECT_TRUE(titles(collect_findings(comparison, nullptr), Severity::warning).empty());
  comparison.workload_note = "The workload file w.py changed since the baseline was recorded.";
  const auto findings = collect_findings(comparison, nullptr);
  EXPECT_EQ(titles(findings, Severity::warning), std::vector<std::string>{"Workload file changed"});
  const auto summary = render_summary(comparison, nullptr, {});
  EXPECT_NE(summary.find("The workload file w.py changed since the baseline was recorded."),
            std::string::npos)
      << summary;
}

TEST(Findings, MissingBaselineIsOneNotice) {
  const auto findings = collect_findings(test::no_baseline_comparison(), nullptr);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::notice);
  EXPECT_EQ(findings[0].title, "No baseline");
  EXPECT_NE(findings[0].message.find("4 metrics (ft-speedup-1, ft-speedup-2, ft-speedup-4, "
                                     "ft-overhead)"),
            std::string::npos)
      << findings[0].message;
}

TEST(Findings, RunFailuresAreNotRepeated) {
  auto run = test::sample_run();
  run.failures = {{"crash", "boom"}, {"wrong-count", "78497 primes, expected 78498"}};
  auto comparison = test::pass_comparison();
  comparison.failed_checks = {"boom"};
  const auto findings = collect_findings(comparison, &run);
  EXPECT_EQ(titles(findings, Severity::error),
            (std::vector<std::string>{"Failed check", "Failed check: wrong-count"}));
}

}  // namespace
}  // namespace gilguard::report

namespace gilguard::report {
namespace {

// The free-threaded speedup against processes at 2 threads fell 14.7%, from 0.95 to 0.81.
Comparison relative_regression() {
  Comparison c;
  c.overall = Verdict::regression;
  c.threshold = 0.05;
  auto metric = test::make_metric({MetricKind::relative, Flavor::ft, 2}, Verdict::regression,
                                  0.95 * (1 - 0.147), 0.78, 0.83, 0.95);
  metric.current.split = LossSplit{0.15, 0.03, 0.0, 20};
  c.metrics = {metric};
  return c;
}

TEST(Findings, ARegressionAgainstProcessesSaysWhereTheTimeWentAgainstTheBaselines) {
  auto comparison = relative_regression();
  comparison.metrics[0].baseline_split = LossSplit{0.01, 0.02, 0.0, 30};
  const auto findings = collect_findings(comparison, nullptr);
  // The parts moved by 0.14, 0.01 and 0: of the 14.7%, 13.7% and 1.0%.
  EXPECT_NE(findings.front().message.find(
                "Of the 14.7%: 13.7% more CPU per item, 1.0% waiting, 0.0% machine (each part "
                "against the baseline's)."),
            std::string::npos)
      << findings.front().message;
  const auto notice = std::find_if(findings.begin(), findings.end(), [](const Finding& f) {
    return f.title == "Where the time went: free-threaded speedup against processes at 2 threads";
  });
  ASSERT_NE(notice, findings.end());
  EXPECT_NE(notice->message.find("The baseline's: the threads lost 5.0% against the processes"),
            std::string::npos)
      << notice->message;
}

TEST(Findings, ABaselineWithoutASplitSaysNotRecorded) {
  const auto findings = collect_findings(relative_regression(), nullptr);
  EXPECT_NE(findings.front().message.find("the baseline's split is not recorded; in this run the "
                                          "threads lost 19.0% against the processes: 15.8% more "
                                          "CPU per item, 3.2% waiting, 0.0% machine."),
            std::string::npos)
      << findings.front().message;
  const auto notice = std::find_if(findings.begin(), findings.end(),
                                   [](const Finding& f) { return f.severity == Severity::notice; });
  ASSERT_NE(notice, findings.end());
  EXPECT_NE(notice->message.find("The baseline's: not recorded."), std::string::npos)
      << notice->message;
}

}  // namespace
}  // namespace gilguard::report
