#include "gilguard/github/publish.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "support/test_util.hpp"
#include "unit/github/fake_github.hpp"
#include "unit/report/sample_comparison.hpp"

namespace gilguard::github {
namespace {

constexpr const char* k_token = "ghs_unitTestSecret123";

struct PublishTest : ::testing::Test {
  test::TempDir dir;
  test::FakeGitHub fake;
  util::Environment env;
  PublishOptions options;
  std::ostringstream out;
  std::ostringstream err;

  void SetUp() override {
    test::write_file(dir.path() / "event.json",
                     R"({"pull_request": {"number": 2, "head": {"sha": "headsha",
                         "repo": {"full_name": "o/r"}}, "base": {"repo": {"full_name": "o/r"}}}})");
    env = {{"GITHUB_ACTIONS", "true"},
           {"GITHUB_REPOSITORY", "o/r"},
           {"GITHUB_RUN_ID", "99"},
           {"GITHUB_EVENT_NAME", "pull_request"},
           {"GITHUB_EVENT_PATH", (dir.path() / "event.json").string()},
           {"GITHUB_STEP_SUMMARY", (dir.path() / "summary.md").string()},
           {"GITHUB_OUTPUT", (dir.path() / "output").string()},
           {"GITHUB_TOKEN", "not-this-one"}};
    // The token comes from the options (gilguard takes GITHUB_TOKEN out of its environment at
    // start-up); GITHUB_TOKEN in the environment given is never read.
    options.token = k_token;
    options.links.results_path = "results.json";
    options.links.comparison_path = "comparison.json";
    options.retry = {2, std::chrono::milliseconds(1), std::chrono::milliseconds(5)};
  }

  std::string all_text() {
    std::string text = out.str() + err.str() + test::read_file(dir.path() / "summary.md") +
                       test::read_file(dir.path() / "output");
    for (const auto& r : fake.requests) text += r.url + r.body;
    return text;
  }
};

TEST_F(PublishTest, WritesEverythingAndMasksTheTokenFirst) {
  const auto run = test::sample_run();
  const auto result = publish(test::regression_comparison(), &run, options, env, out, err, &fake);
  EXPECT_TRUE(result.summary_written);
  EXPECT_TRUE(result.outputs_written);
  EXPECT_EQ(result.comment.action, CommentOutcome::Action::created) << result.comment.detail;
  const std::string stdout_text = out.str();
  EXPECT_EQ(stdout_text.rfind(std::string("::add-mask::") + k_token + "\n", 0), 0u);
  // The token appears once, in the mask command, and nowhere else.
  const std::string text = all_text();
  EXPECT_EQ(text.find(k_token), stdout_text.find(k_token));
  EXPECT_EQ(text.find(k_token, text.find(k_token) + 1), std::string::npos);

  EXPECT_NE(stdout_text.find("\n::error title=Regression%3A free-threaded speedup at 4 threads::"),
            std::string::npos)
      << stdout_text;
  EXPECT_EQ(result.annotations, 2u);
  const std::string summary = test::read_file(dir.path() / "summary.md");
  EXPECT_EQ(summary.rfind("## ❌ gilguard: Regression", 0), 0u);
  const std::string outputs = test::read_file(dir.path() / "output");
  EXPECT_NE(outputs.find("verdict<<"), std::string::npos);
  EXPECT_NE(outputs.find("\nregression\n"), std::string::npos);
  EXPECT_NE(outputs.find("ft-speedup<<"), std::string::npos);
  ASSERT_EQ(fake.comments[2].size(), 1u);
  EXPECT_EQ(fake.comments[2][0].second.rfind("<!-- gilguard:comment -->", 0), 0u);
  EXPECT_NE(fake.comments[2][0].second.find("(https://github.com/o/r/actions/runs/99)"),
            std::string::npos);
  EXPECT_NE(fake.comments[2][0].second.find("commit `headsha`"), std::string::npos);
  EXPECT_EQ(err.str(),
            "gilguard: Commented on pull request #2. "
            "https://github.com/o/r/pull/2#issuecomment-1000\n");
}

TEST_F(PublishTest, StepOutputsNameTheHeadlineNumbers) {
  options.links.results_path = "r.json";
  const auto outputs = step_outputs(test::regression_comparison(), options.links);
  const std::vector<Output> expected = {
      {"verdict", "regression"}, {"failed-checks", "0"},           {"ft-speedup", "3.180"},
      {"gil-speedup", "0.980"},  {"speedup-threads", "4"},         {"ft-overhead", "1.120"},
      {"results", "r.json"},     {"comparison", "comparison.json"}};
  EXPECT_EQ(outputs, expected);
}

TEST_F(PublishTest, ForbiddenCommentIsANoticeAndTheRestIsReported) {
  fake.scripted = {{403, {}, "{\"message\":\"Resource not accessible by integration\"}"}};
  const auto result = publish(test::pass_comparison(), nullptr, options, env, out, err, &fake);
  EXPECT_EQ(result.comment.action, CommentOutcome::Action::denied);
  EXPECT_TRUE(result.summary_written);
  EXPECT_NE(out.str().find("::notice title=Pull request comment skipped::Skipped the pull request "
                           "comment on #2"),
            std::string::npos)
      << out.str();
  EXPECT_EQ(all_text().find(k_token), out.str().find(k_token));
}

TEST_F(PublishTest, NoPullRequestMeansNoComment) {
  test::write_file(dir.path() / "event.json", R"({"ref": "refs/heads/main"})");
  env["GITHUB_EVENT_NAME"] = "push";
  const auto result =
      publish(test::regression_comparison(), nullptr, options, env, out, err, &fake);
  EXPECT_EQ(result.comment.action, CommentOutcome::Action::skipped);
  EXPECT_EQ(result.comment.detail,
            "No pull request comment: the push event is not about a pull request.");
  EXPECT_TRUE(fake.requests.empty());
}

TEST_F(PublishTest, UnwritableSummaryFailsAfterReportingTheRest) {
  env["GITHUB_STEP_SUMMARY"] = "/nonexistent-dir/summary.md";
  try {
    publish(test::regression_comparison(), nullptr, options, env, out, err, &fake);
    FAIL() << "expected a Failure";
  } catch (const Failure& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    EXPECT_EQ(std::string(e.what()),
              "writing the GitHub Actions report: cannot open /nonexistent-dir/summary.md to "
              "append the step summary: No such file or directory");
  }
  EXPECT_NE(out.str().find("::error title=gilguard could not write its report::"),
            std::string::npos);
  EXPECT_EQ(fake.comments[2].size(), 1u);
}

TEST_F(PublishTest, OutsideActionsTheTokenIsNotEchoed) {
  env.erase("GITHUB_ACTIONS");
  publish(test::pass_comparison(), nullptr, options, env, out, err, &fake);
  EXPECT_EQ(out.str().find(k_token), std::string::npos);
}

}  // namespace
}  // namespace gilguard::github
