#include "gilguard/github/context.hpp"

#include <gtest/gtest.h>

#include "support/test_util.hpp"

namespace gilguard::github {
namespace {

constexpr const char* k_pr_event = R"({
  "action": "opened", "number": 7,
  "pull_request": {"number": 7, "head": {"sha": "abc123", "repo": {"full_name": "fork/r"}},
                   "base": {"sha": "def", "repo": {"full_name": "o/r"}}},
  "repository": {"full_name": "o/r"}
})";

TEST(Context, ReadsTheRunnerEnvironment) {
  test::TempDir dir;
  test::write_file(dir.path() / "event.json", k_pr_event);
  const util::Environment env = {
      {"GITHUB_ACTIONS", "true"},
      {"GITHUB_REPOSITORY", "o/r"},
      {"GITHUB_API_URL", "https://ghe.example.com/api/v3/"},
      {"GITHUB_SERVER_URL", "https://ghe.example.com"},
      {"GITHUB_RUN_ID", "42"},
      {"GITHUB_RUN_ATTEMPT", "2"},
      {"GITHUB_SHA", "merge-sha"},
      {"GITHUB_EVENT_NAME", "pull_request"},
      {"GITHUB_EVENT_PATH", (dir.path() / "event.json").string()},
      {"GITHUB_STEP_SUMMARY", "/tmp/summary"},
      {"GITHUB_OUTPUT", "/tmp/output"},
      {"GITHUB_TOKEN", "from-env"},
  };
  auto ctx = read_context(env);
  ASSERT_TRUE(ctx) << ctx.error().message;
  EXPECT_TRUE(ctx->in_actions);
  EXPECT_EQ(ctx->api_url, "https://ghe.example.com/api/v3");
  EXPECT_EQ(ctx->run_url(), "https://ghe.example.com/o/r/actions/runs/42/attempts/2");
  ASSERT_TRUE(ctx->pull_request);
  EXPECT_EQ(ctx->pull_request->number, 7);
  EXPECT_EQ(ctx->pull_request->head_sha, "abc123");
  EXPECT_TRUE(ctx->pull_request->fork);
  EXPECT_EQ(ctx->commit(), "abc123");
  // Never from the environment given: gilguard took GITHUB_TOKEN out of its own at start-up
  // (util/secrets.hpp), and callers pass the token.
  EXPECT_EQ(ctx->token, "");
  EXPECT_EQ(ctx->step_summary_path, "/tmp/summary");
  EXPECT_EQ(ctx->output_path, "/tmp/output");

  auto with_option = read_context(env, std::string("from-option"));
  ASSERT_TRUE(with_option);
  EXPECT_EQ(with_option->token, "from-option");
}

TEST(Context, DefaultsOutsideActions) {
  auto ctx = read_context({});
  ASSERT_TRUE(ctx);
  EXPECT_FALSE(ctx->in_actions);
  EXPECT_EQ(ctx->api_url, "https://api.github.com");
  EXPECT_EQ(ctx->run_url(), "");
  EXPECT_FALSE(ctx->pull_request);
  EXPECT_TRUE(ctx->token.empty());
}

TEST(Context, SameRepositoryIsNotAFork) {
  auto pr = parse_pull_request_event(
      R"({"pull_request": {"number": 3, "head": {"sha": "s", "repo": {"full_name": "o/r"}},
          "base": {"repo": {"full_name": "o/r"}}}})");
  ASSERT_TRUE(pr);
  ASSERT_TRUE(*pr);
  EXPECT_FALSE((*pr)->fork);
  auto deleted_fork = parse_pull_request_event(
      R"({"pull_request": {"number": 3, "head": {"sha": "s", "repo": null},
          "base": {"repo": {"full_name": "o/r"}}}})");
  ASSERT_TRUE(deleted_fork);
  EXPECT_TRUE((*deleted_fork)->fork);
}

TEST(Context, PushEventHasNoPullRequest) {
  auto pr = parse_pull_request_event(R"({"ref": "refs/heads/main", "after": "x"})");
  ASSERT_TRUE(pr);
  EXPECT_FALSE(*pr);
}

TEST(Context, BadEventIsNotedNotFatal) {
  test::TempDir dir;
  test::write_file(dir.path() / "event.json", "{not json");
  auto ctx = read_context({{"GITHUB_EVENT_PATH", (dir.path() / "event.json").string()}});
  ASSERT_TRUE(ctx);
  EXPECT_FALSE(ctx->pull_request);
  EXPECT_NE(ctx->event_problem.find("is not valid JSON"), std::string::npos) << ctx->event_problem;
  auto missing = parse_pull_request_event(R"({"pull_request": {"head": {}}})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "the event payload's pull_request has no valid \"number\"");
}

TEST(Context, RejectsMalformedSettings) {
  auto api = read_context({{"GITHUB_API_URL", "ftp://x"}});
  ASSERT_FALSE(api);
  EXPECT_EQ(api.error().message,
            "GITHUB_API_URL: 'ftp://x' is not an http(s) URL; give the REST API base, e.g. "
            "https://api.github.com or https://HOST/api/v3 for GitHub Enterprise Server");
  auto repo = read_context({{"GITHUB_REPOSITORY", "no-slash"}});
  ASSERT_FALSE(repo);
  EXPECT_EQ(repo.error().message,
            "GITHUB_REPOSITORY: 'no-slash' is not a repository in the form OWNER/NAME");
}

TEST(Context, MaskCommandEscapesLikeData) {
  EXPECT_EQ(mask_command("ghs_abc"), "::add-mask::ghs_abc");
  EXPECT_EQ(mask_command("a%b\nc"), "::add-mask::a%25b%0Ac");
}

}  // namespace
}  // namespace gilguard::github
