#include "gilguard/report/comment.hpp"

#include <gtest/gtest.h>

#include "unit/report/golden.hpp"
#include "unit/report/sample_comparison.hpp"

namespace gilguard::report {
namespace {

ReportLinks links() {
  ReportLinks l;
  l.run_url = "https://github.com/octo-org/octo-repo/actions/runs/1658821493";
  l.results_path = "gilguard-results.json";
  l.commit = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
  return l;
}

TEST(Comment, RegressionMatchesGolden) {
  const auto run = test::sample_run();
  test::expect_golden("comment-regression.md",
                      render_comment(test::regression_comparison(), &run, links()));
}

TEST(Comment, PassMatchesGolden) {
  const auto run = test::sample_run();
  test::expect_golden("comment-pass.md", render_comment(test::pass_comparison(), &run, links()));
}

TEST(Comment, StartsWithTheMarkerAndKey) {
  const std::string body = render_comment(test::pass_comparison(), nullptr, links());
  EXPECT_EQ(body.rfind("<!-- gilguard:comment -->\n<!-- gilguard:key="
                       "linux-x86_64-cpu4-py3.13-primes-1000000 -->\n",
                       0),
            0u);
  EXPECT_NE(body.find(comment_marker(test::pass_comparison().baseline_key)), std::string::npos);
}

TEST(Comment, MarkerKeyCannotCloseTheHtmlComment) {
  const std::string marker = comment_marker("evil-->\n<script>");
  EXPECT_EQ(marker.find("-->", marker.find("key=")), marker.size() - 3) << marker;
  EXPECT_EQ(marker.find("<script"), std::string::npos);
  EXPECT_EQ(comment_marker(""), "<!-- gilguard:comment -->");
}

TEST(Comment, TruncatedWithALinkToTheRunNeverLonger) {
  auto comparison = test::failed_check_comparison();
  comparison.failed_checks.push_back(std::string(100'000, 'y') + "\n");
  comparison.failed_checks.push_back("```\nunclosed fence");
  for (const std::size_t limit : {k_comment_limit, std::size_t{2000}, std::size_t{600}}) {
    const std::string body = render_comment(comparison, nullptr, links(), limit);
    EXPECT_LE(body.size(), limit);
    EXPECT_NE(body.find("[the job summary](https://github.com/octo-org/octo-repo/actions/runs/"
                        "1658821493)"),
              std::string::npos)
        << body;
    EXPECT_EQ(body.rfind("<!-- gilguard:comment -->", 0), 0u);
  }
}

TEST(Comment, WorthCommentingOnlyWhenThereIsSomethingToSay) {
  EXPECT_TRUE(worth_commenting(test::regression_comparison()));
  EXPECT_TRUE(worth_commenting(test::no_baseline_comparison()));
  EXPECT_TRUE(worth_commenting(test::failed_check_comparison()));
  EXPECT_FALSE(worth_commenting(test::pass_comparison()));
  auto improved = test::pass_comparison();
  improved.overall = Verdict::improvement;
  EXPECT_TRUE(worth_commenting(improved));
  auto inconclusive = test::pass_comparison();
  inconclusive.overall = Verdict::inconclusive;
  EXPECT_FALSE(worth_commenting(inconclusive));
}

}  // namespace
}  // namespace gilguard::report
