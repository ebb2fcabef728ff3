#include "gilguard/report/text.hpp"

#include <gtest/gtest.h>

#include "unit/report/golden.hpp"
#include "unit/report/sample_comparison.hpp"

namespace gilguard::report {
namespace {

TEST(Text, PlainMatchesGoldenAndHasNoEscapes) {
  const auto run = test::sample_run();
  ReportLinks links;
  links.results_path = "gilguard-results.json";
  const std::string text = render_text(test::regression_comparison(), &run, links, false);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  test::expect_golden("text-regression.txt", text);
}

TEST(Text, ColourOnlyWhenAskedFor) {
  const std::string text = render_text(test::regression_comparison(), nullptr, {}, true);
  EXPECT_NE(text.find("\x1b[1m\x1b[31mgilguard: Regression.\x1b[0m"), std::string::npos) << text;
  EXPECT_NE(text.find("\x1b[32mpass\x1b[0m"), std::string::npos);
}

TEST(Text, OffersTheBaselineUpdateExceptAfterAFailedCheck) {
  ReportLinks links;
  links.results_path = "r.json";
  const std::string offer = "To record this run as the baseline: gilguard baseline update r.json";
  EXPECT_NE(render_text(test::regression_comparison(), nullptr, links, false).find(offer),
            std::string::npos);
  EXPECT_NE(render_text(test::no_baseline_comparison(), nullptr, links, false).find(offer),
            std::string::npos);
  EXPECT_EQ(render_text(test::pass_comparison(), nullptr, links, false).find(offer),
            std::string::npos);
  // `baseline update` refuses results with failed checks, so the report does not offer it.
  EXPECT_EQ(render_text(test::failed_check_comparison(), nullptr, links, false).find(offer),
            std::string::npos);
}

TEST(Text, ControlCharactersFromRunOutputAreDefused) {
  auto comparison = test::failed_check_comparison();
  comparison.failed_checks = {"bad\x1b[2Jclear\rreturn"};
  const std::string text = render_text(comparison, nullptr, {}, false);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_NE(text.find("bad?[2Jclear?return"), std::string::npos);
}

TEST(Text, RunOutputCannotIssueWorkflowCommands) {
  auto comparison = test::failed_check_comparison();
  comparison.failed_checks = {
      "crash; stderr tail:\n::add-mask::x\n  ::error title=t::fake\n##[warning]old"};
  const std::string text = render_text(comparison, nullptr, {}, false);
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    line.erase(0, line.find_first_not_of(" \t"));
    EXPECT_FALSE(line.starts_with("::")) << line;
    EXPECT_EQ(line.find("##["), std::string::npos) << line;
    start = end + 1;
  }
  EXPECT_NE(text.find(": :add-mask::x"), std::string::npos) << text;
}

}  // namespace
}  // namespace gilguard::report

namespace gilguard::report {
namespace {

TEST(Text, ABaselineOlderThanTheGatingMetricSaysNothingGatedWasChecked) {
  // A baseline of schema 1: the raw speedup (information now) has runs, the speedup against
  // processes (gating) has none.
  Comparison c;
  c.overall = Verdict::no_baseline;
  c.baseline_key = "linux-x86_64-cpu2-py3.13-primes-r200000";
  c.metrics = {
      test::make_metric({MetricKind::relative, Flavor::ft, 2}, Verdict::no_baseline, 0.98, 0.96,
                        1.0, std::nullopt),
      test::make_metric(test::ft_speedup(2), Verdict::pass, 1.53, 1.41, 1.62, 1.66, false),
  };
  const std::string text = render_text(c, nullptr, {}, false);
  EXPECT_NE(text.find("The baseline for linux-x86_64-cpu2-py3.13-primes-r200000 has no run with "
                      "the free-threaded speedup against processes at 2 threads yet, so nothing "
                      "gated was checked"),
            std::string::npos)
      << text;
  // With no run at all it is simply no baseline.
  EXPECT_NE(render_text(test::no_baseline_comparison(), nullptr, {}, false)
                .find("There is no baseline for linux-x86_64-cpu4-py3.13-primes-1000000 yet"),
            std::string::npos);
}

}  // namespace
}  // namespace gilguard::report
