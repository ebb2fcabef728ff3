// The reports of an A/B comparison (head against a base of the same rounds), built by
// stats::compare_ab from rounds made in code.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "gilguard/report/comment.hpp"
#include "gilguard/report/findings.hpp"
#include "gilguard/report/summary.hpp"
#include "gilguard/report/text.hpp"
#include "gilguard/stats/ab.hpp"

namespace gilguard::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// 12 rounds of both sides at 2 threads; the head's free-threaded speedup is `ft_change` times
// the base's. Each round's machine state (shared by both sides) moves by up to 10%.
Comparison ab_comparison(double ft_change) {
  std::vector<Sample> samples;
  for (int r = 1; r <= 12; ++r) {
    const double state = 1.0 + 0.02 * (r % 5);
    const double wobble = 1.0 + 0.002 * ((r * 7) % 5 - 2);
    for (const auto side : {Side::head, Side::base}) {
      for (const auto flavor : {Flavor::gil, Flavor::ft}) {
        Sample s;
        s.round = r;
        s.ok = true;
        s.cell = {flavor, 2, true, side};
        s.t_seq = (flavor == Flavor::ft ? 0.452 : 0.401) * state;
        double speedup = flavor == Flavor::ft ? 1.6 : 0.98;
        if (side == Side::head && flavor == Flavor::ft) speedup *= ft_change * wobble;
        s.t_par = s.t_seq / speedup;
        samples.push_back(s);
      }
    }
  }
  Comparison c = stats::compare_ab(samples);
  c.base_label = "abc123";
  return c;
}

TEST(AbReport, TheTextSaysAgainstBaseAndOffersNoBaselineUpdate) {
  ReportLinks links;
  links.results_path = "r.json";
  const auto text = render_text(ab_comparison(0.93), nullptr, links, false);
  EXPECT_THAT(text, HasSubstr("gilguard: Regression."));
  EXPECT_THAT(text, HasSubstr("below base abc123"));
  EXPECT_THAT(text, HasSubstr("against base abc123, measured in the same rounds; threshold 2%"));
  EXPECT_THAT(text, HasSubstr("change [paired interval]"));
  EXPECT_THAT(text, HasSubstr(" s ["));  // the single-thread times are in seconds
  EXPECT_THAT(text, Not(HasSubstr("gilguard baseline update")));
}

// The comparison's key (--baseline-key, else the derived one) names it in every report.
TEST(AbReport, TheKeyIsShownBesideTheBase) {
  Comparison comparison = ab_comparison(1.0);
  comparison.baseline_key = "pkg-job-3.14";
  ReportLinks links;
  EXPECT_THAT(render_text(comparison, nullptr, links, false),
              HasSubstr("against base abc123, measured in the same rounds; key pkg-job-3.14; "
                        "threshold 2%"));
  EXPECT_THAT(render_summary(comparison, nullptr, links),
              HasSubstr("measured in the same rounds; key `pkg-job-3.14`; threshold 2%."));
  EXPECT_THAT(render_comment(comparison, nullptr, links),
              HasSubstr("<!-- gilguard:key=pkg-job-3.14 -->"));
}

TEST(AbReport, HeadAndBaseOfDifferentReleasesAreBothNamed) {
  // A user upgrading: 3.13 as base, 3.14 as head.
  Comparison comparison = ab_comparison(1.0);
  comparison.head_version = "3.14.7";
  comparison.base_version = "3.13.5";
  const auto text = render_text(comparison, nullptr, {}, false);
  EXPECT_THAT(text, HasSubstr("against base abc123 (Python 3.13.5; head 3.14.7), measured in "
                              "the same rounds"));
  // The same release on both sides (a patched CPython against its base) names none.
  comparison.base_version = "3.14.7";
  EXPECT_THAT(render_text(comparison, nullptr, {}, false), Not(HasSubstr("(Python ")));
}

TEST(AbReport, ThePassSentenceNamesTheBase) {
  const auto text = render_text(ab_comparison(1.0), nullptr, {}, false);
  EXPECT_THAT(text, HasSubstr("gilguard: No regression."));
  EXPECT_THAT(text, HasSubstr("within the 2% threshold of base abc123, measured in the same "
                              "rounds"));
}

TEST(AbReport, AMetricWithNoPairedRoundLeftIsExplainedNotQuotedAsZero) {
  // Interference set every paired round of the gated speedup aside: no change to quote.
  Comparison comparison = ab_comparison(1.0);
  comparison.overall = Verdict::inconclusive;
  for (auto& metric : comparison.metrics) {
    if (!(metric.id.kind == MetricKind::speedup && metric.id.flavor == Flavor::ft)) continue;
    metric.verdict = Verdict::inconclusive;
    metric.change.reset();
    metric.change_low.reset();
    metric.change_high.reset();
    metric.current = {};
    metric.explanation =
        "The free-threaded speedup at 2 threads has no undisturbed paired round. Interference "
        "from other processes took up to 46% of a timed region.";
  }
  const auto text = render_text(comparison, nullptr, {}, false);
  EXPECT_THAT(text, HasSubstr("gilguard: Inconclusive. The free-threaded speedup at 2 threads has "
                              "no undisturbed paired round."));
  EXPECT_THAT(text, HasSubstr("on a quieter runner"));
  EXPECT_THAT(text, Not(HasSubstr("0.0% above base")));
  EXPECT_THAT(text, Not(HasSubstr("0.00x")));  // the row shows a dash, not a zero speedup
}

TEST(AbReport, AFindingWithoutAnExplanationNamesTheBaseNotABaseline) {
  Comparison comparison = ab_comparison(0.93);
  for (auto& metric : comparison.metrics) metric.explanation.clear();
  bool named = false;
  for (const auto& finding : collect_findings(comparison, nullptr)) {
    EXPECT_THAT(finding.message, Not(HasSubstr("against a baseline of")));
    named = named || finding.message.find("against base abc123 at") != std::string::npos;
  }
  EXPECT_TRUE(named);
}

TEST(AbReport, TheSummaryAndCommentSpeakOfTheBase) {
  const auto comparison = ab_comparison(0.93);
  const auto summary = render_summary(comparison, nullptr, {});
  EXPECT_THAT(summary, HasSubstr("| Flavour | Threads | Base | This run [interval] | Change "
                                 "[paired interval] | Verdict |"));
  EXPECT_THAT(summary, HasSubstr("free-threaded, head"));
  EXPECT_THAT(summary, HasSubstr("free-threaded, base abc123"));
  EXPECT_THAT(summary, Not(HasSubstr("Update the baseline")));
  const auto comment = render_comment(comparison, nullptr, {});
  EXPECT_THAT(comment, HasSubstr("base abc123"));
  EXPECT_THAT(comment, Not(HasSubstr("Update the baseline")));
}

}  // namespace
}  // namespace gilguard::report
