// gilguard against a local stand-in for GitHub's REST API (tests/js/fake-github.mjs), which
// checks every request against GitHub's published OpenAPI description, fed with a real
// pull_request payload from @octokit/webhooks-examples. Covers the sticky comment's life (create,
// edit, found on page 2), a read-only token, a server error, GitHub Enterprise's /api/v3 base,
// and publish() as `gilguard check` calls it; in every run the token appears only in the one
// ::add-mask:: line.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <sstream>

#include "gilguard/baseline/comparison_codec.hpp"
#include "gilguard/github/publish.hpp"
#include "gilguard/report/comment.hpp"
#include "gilguard/util/process.hpp"
#include "support/background_process.hpp"
#include "support/node_tools.hpp"
#include "support/test_util.hpp"
#include "unit/report/sample_comparison.hpp"

namespace gilguard {
namespace {

namespace json = boost::json;

constexpr const char* k_token = "ghs_FakeTokenForGilguardTests0123456789abcdef";
constexpr const char* k_repo = "Codertocat/Hello-World";  // the webhook example's repository
constexpr int k_pr = 2;                                   // and its pull request

std::vector<json::value> read_jsonl(const std::filesystem::path& path) {
  std::vector<json::value> out;
  if (!std::filesystem::exists(path)) return out;
  std::istringstream lines(test::read_file(path));
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

// The fake server, started for one test and stopped with it.
class FakeGitHubServer {
 public:
  FakeGitHubServer(const test::NodeTools& tools, const std::filesystem::path& dir,
                   std::vector<std::string> args)
      : m_state(dir / "server") {
    std::vector<std::string> argv = {tools.node.string(), (tools.dir / "fake-github.mjs").string(),
                                     "--state-dir",       m_state.string(),
                                     "--token",           k_token,
                                     "--lifetime",        "300"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::filesystem::create_directories(m_state);
    m_process = std::make_unique<test::BackgroundProcess>(argv, dir / "server.stderr");
    const std::string line = m_process->first_line(std::chrono::seconds(30));
    const std::string prefix = "listening ";
    if (line.rfind(prefix, 0) != 0) throw std::runtime_error("fake-github said: " + line);
    m_url = line.substr(prefix.size());
  }

  // The API base URL, "http://127.0.0.1:PORT[/api/v3]".
  const std::string& url() const { return m_url; }
  std::vector<json::value> requests() const { return read_jsonl(m_state / "requests.jsonl"); }
  std::vector<json::value> violations() const { return read_jsonl(m_state / "violations.jsonl"); }

  // The comments on the test's pull request, oldest first.
  std::vector<std::pair<std::int64_t, std::string>> comments() const {
    std::vector<std::pair<std::int64_t, std::string>> out;
    const auto path = m_state / "comments.json";
    if (!std::filesystem::exists(path)) return out;
    const auto state = json::parse(test::read_file(path)).as_object();
    if (const auto* list = state.if_contains(std::to_string(k_pr))) {
      for (const auto& c : list->as_array()) {
        out.emplace_back(c.at("id").as_int64(), std::string(c.at("body").as_string()));
      }
    }
    return out;
  }

  // "METHOD path?query -> status" for each request, for assertions and messages.
  std::vector<std::string> log() const {
    std::vector<std::string> out;
    for (const auto& r : requests()) {
      out.push_back(fmt::format("{} {}{} -> {}", std::string(r.at("method").as_string()),
                                std::string(r.at("path").as_string()),
                                std::string(r.at("query").as_string()), r.at("status").as_int64()));
    }
    return out;
  }

 private:
  std::filesystem::path m_state;
  std::unique_ptr<test::BackgroundProcess> m_process;
  std::string m_url;
};

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += line + "\n";
  return out;
}

std::string violations_text(const FakeGitHubServer& server) {
  std::string out;
  for (const auto& v : server.violations()) out += json::serialize(v) + "\n";
  return out;
}

// The token is in stdout exactly once, as the ::add-mask:: command, and in no other text.
void expect_token_only_masked(const std::string& stdout_text,
                              const std::vector<std::pair<std::string, std::string>>& others) {
  const std::string mask = std::string("::add-mask::") + k_token + "\n";
  const auto first = stdout_text.find(k_token);
  ASSERT_NE(first, std::string::npos) << "the token was never masked:\n" << stdout_text;
  EXPECT_EQ(stdout_text.rfind(mask, first), first - std::string("::add-mask::").size());
  EXPECT_EQ(stdout_text.find(k_token, first + 1), std::string::npos) << stdout_text;
  for (const auto& [name, text] : others) {
    EXPECT_EQ(text.find(k_token), std::string::npos) << "the token leaked into " << name;
  }
}

class GitHubIntegration : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    m_tools = test::find_node_tools(why);
    if (!m_tools) {
      if (std::getenv("CI") != nullptr) GTEST_FAIL() << why << " (required under CI)";
      GTEST_SKIP() << why;
    }
    write_event();
    write_comparison("regression.json", test::regression_comparison());
    write_comparison("pass.json", test::pass_comparison());
  }

  // The pull_request "opened" example from @octokit/webhooks-examples, as GITHUB_EVENT_PATH.
  void write_event() {
    const auto event = test::pull_request_opened_example(*m_tools);
    ASSERT_TRUE(event) << "no pull_request opened example in @octokit/webhooks-examples";
    test::write_file(m_dir.path() / "event.json", *event);
  }

  void write_comparison(const std::string& name, const Comparison& comparison) {
    test::write_file(m_dir.path() / name, baseline::comparison_to_json_text(comparison));
  }

  util::Environment actions_env(const std::string& api_url) const {
    util::Environment env;
    env["PATH"] = util::current_environment()["PATH"];
    env["GITHUB_ACTIONS"] = "true";
    env["GITHUB_REPOSITORY"] = k_repo;
    env["GITHUB_API_URL"] = api_url;
    env["GITHUB_SERVER_URL"] = "https://github.com";
    env["GITHUB_RUN_ID"] = "1658821493";
    env["GITHUB_EVENT_NAME"] = "pull_request";
    env["GITHUB_EVENT_PATH"] = (m_dir.path() / "event.json").string();
    env["GITHUB_TOKEN"] = k_token;
    return env;
  }

  util::ProcessResult comment(const util::Environment& env, const std::string& comparison,
                              std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {
        test::gilguard_binary().string(),     "comment", "--from",
        (m_dir.path() / comparison).string(), "--pr",    std::to_string(k_pr)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    util::ProcessOptions options;
    options.timeout = std::chrono::seconds(120);
    auto result = util::run_process(argv, env, options);
    if (!result) throw std::runtime_error(result.error().message);
    return *result;
  }

  std::optional<test::NodeTools> m_tools;
  test::TempDir m_dir;
};

TEST_F(GitHubIntegration, FirstRunCreatesTheCommentAndTheSecondEditsIt) {
  FakeGitHubServer server(*m_tools, m_dir.path(), {});
  const auto env = actions_env(server.url());
  const auto first = comment(env, "regression.json");
  ASSERT_EQ(first.exit_code, 0) << first.stderr_text;
  auto comments = server.comments();
  ASSERT_EQ(comments.size(), 1u) << joined(server.log());
  EXPECT_EQ(comments[0].second.rfind("<!-- gilguard:comment -->", 0), 0u);
  EXPECT_NE(comments[0].second.find("gilguard: Regression"), std::string::npos);
  EXPECT_NE(
      first.stdout_text.find("https://github.com/Codertocat/Hello-World/pull/2#issuecomment-"),
      std::string::npos);

  // The second run has nothing new to say (a pass) but edits the comment that exists.
  const auto second = comment(env, "pass.json");
  ASSERT_EQ(second.exit_code, 0) << second.stderr_text;
  comments = server.comments();
  ASSERT_EQ(comments.size(), 1u) << joined(server.log());
  EXPECT_NE(comments[0].second.find("gilguard: No regression"), std::string::npos);
  EXPECT_EQ(joined(server.log()),
            "GET /repos/Codertocat/Hello-World/issues/2/comments?per_page=100 -> 200\n"
            "POST /repos/Codertocat/Hello-World/issues/2/comments -> 201\n"
            "GET /repos/Codertocat/Hello-World/issues/2/comments?per_page=100 -> 200\n"
            "PATCH /repos/Codertocat/Hello-World/issues/comments/1000 -> 200\n");
  EXPECT_EQ(violations_text(server), "");
  for (const auto* run : {&first, &second}) {
    expect_token_only_masked(run->stdout_text, {{"stderr", run->stderr_text}});
  }
  EXPECT_EQ(second.stderr_text, "gilguard: Updated the pull request comment on #2.\n");
}

TEST_F(GitHubIntegration, OursIsFoundOnPageTwo) {
  const std::string ours = report::comment_marker(test::pass_comparison().baseline_key) + "\nold";
  FakeGitHubServer server(*m_tools, m_dir.path(),
                          {"--seed-comments", "130", "--ours-at", "120", "--ours-body", ours});
  const auto result = comment(actions_env(server.url()), "pass.json");
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(joined(server.log()),
            "GET /repos/Codertocat/Hello-World/issues/2/comments?per_page=100 -> 200\n"
            "GET /repos/Codertocat/Hello-World/issues/2/comments?per_page=100&page=2 -> 200\n"
            "PATCH /repos/Codertocat/Hello-World/issues/comments/1120 -> 200\n");
  const auto comments = server.comments();
  ASSERT_EQ(comments.size(), 130u);
  EXPECT_NE(comments[120].second.find("gilguard: No regression"), std::string::npos);
  EXPECT_EQ(violations_text(server), "");
  expect_token_only_masked(result.stdout_text, {{"stderr", result.stderr_text}});
}

// Several jobs on one pull request, each with its key (one without): each keeps its own comment,
// and none edits another's.
TEST_F(GitHubIntegration, EachKeyKeepsItsOwnCommentAndAKeylessJobTouchesNone) {
  FakeGitHubServer server(*m_tools, m_dir.path(), {});
  const auto env = actions_env(server.url());
  for (const auto& [file, key] : {std::pair<std::string, std::string>{"a.json", "job-a"},
                                  {"b.json", "job-b"},
                                  {"none.json", ""}}) {
    auto comparison = test::regression_comparison();
    comparison.baseline_key = key;
    write_comparison(file, comparison);
  }
  for (const auto* file : {"a.json", "b.json", "none.json", "a.json", "none.json"}) {
    const auto run = comment(env, file);
    ASSERT_EQ(run.exit_code, 0) << file << ": " << run.stderr_text;
  }
  const auto comments = server.comments();
  ASSERT_EQ(comments.size(), 3u) << joined(server.log());
  EXPECT_EQ(comments[0].second.rfind(report::comment_marker("job-a") + "\n", 0), 0u);
  EXPECT_EQ(comments[1].second.rfind(report::comment_marker("job-b") + "\n", 0), 0u);
  EXPECT_EQ(comments[2].second.rfind(report::comment_marker("") + "\n###", 0), 0u);
  EXPECT_EQ(violations_text(server), "");
}

// Migration: a comment from before keys (the first marker line alone) is found by the job that
// now has a key and edited into its own, not left beside a second one.
TEST_F(GitHubIntegration, ACommentWithoutAKeyIsTakenOverByTheSingleJob) {
  FakeGitHubServer server(*m_tools, m_dir.path(),
                          {"--seed-comments", "3", "--ours-at", "1", "--ours-body",
                           "<!-- gilguard:comment -->\n### gilguard: old"});
  const auto result = comment(actions_env(server.url()), "pass.json");
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  const auto comments = server.comments();
  ASSERT_EQ(comments.size(), 3u) << joined(server.log());
  EXPECT_EQ(comments[1].second.rfind(
                report::comment_marker(test::pass_comparison().baseline_key) + "\n", 0),
            0u)
      << comments[1].second;
  EXPECT_EQ(server.log().back(), "PATCH /repos/Codertocat/Hello-World/issues/comments/1001 -> 200");
  EXPECT_EQ(violations_text(server), "");
}

TEST_F(GitHubIntegration, ReadOnlyTokenIsANoticeNotAFailure) {
  FakeGitHubServer server(*m_tools, m_dir.path(), {"--forbid-writes"});
  auto env = actions_env(server.url());
  env.erase("GITHUB_TOKEN");
  const auto result = comment(env, "regression.json", {"--github-token", k_token});
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("::notice title=Pull request comment skipped::Skipped the pull "
                                    "request comment on #2: the token may not comment there (HTTP "
                                    "403 while creating the comment: Resource not accessible by "
                                    "integration)."),
            std::string::npos)
      << result.stdout_text;
  EXPECT_TRUE(server.comments().empty());
  EXPECT_EQ(violations_text(server), "");
  expect_token_only_masked(result.stdout_text, {{"stderr", result.stderr_text}});
}

TEST_F(GitHubIntegration, ServerErrorIsRetried) {
  FakeGitHubServer server(*m_tools, m_dir.path(), {"--fail-first", "1", "--fail-status", "502"});
  const auto result = comment(actions_env(server.url()), "regression.json");
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(joined(server.log()),
            "GET /repos/Codertocat/Hello-World/issues/2/comments?per_page=100 -> 502\n"
            "GET /repos/Codertocat/Hello-World/issues/2/comments?per_page=100 -> 200\n"
            "POST /repos/Codertocat/Hello-World/issues/2/comments -> 201\n");
  EXPECT_EQ(server.comments().size(), 1u);
  EXPECT_EQ(violations_text(server), "");
  expect_token_only_masked(result.stdout_text, {{"stderr", result.stderr_text}});
}

TEST_F(GitHubIntegration, EnterpriseServerBaseUrl) {
  FakeGitHubServer server(*m_tools, m_dir.path(), {"--base", "/api/v3", "--spec", "ghes-3.19"});
  ASSERT_EQ(server.url().substr(server.url().size() - 7), "/api/v3");
  auto env = actions_env("https://api.github.com");  // --api-url wins
  const auto result = comment(env, "regression.json", {"--api-url", server.url() + "/"});
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_EQ(joined(server.log()),
            "GET /api/v3/repos/Codertocat/Hello-World/issues/2/comments?per_page=100 -> 200\n"
            "POST /api/v3/repos/Codertocat/Hello-World/issues/2/comments -> 201\n");
  EXPECT_EQ(violations_text(server), "");
  expect_token_only_masked(result.stdout_text, {{"stderr", result.stderr_text}});
}

TEST_F(GitHubIntegration, PublishReportsEverythingAsCheckDoes) {
  FakeGitHubServer server(*m_tools, m_dir.path(), {});
  auto env = actions_env(server.url());
  env["GITHUB_STEP_SUMMARY"] = (m_dir.path() / "summary.md").string();
  env["GITHUB_OUTPUT"] = (m_dir.path() / "output").string();
  test::write_file(m_dir.path() / "summary.md", "");
  test::write_file(m_dir.path() / "output", "");
  github::PublishOptions options;
  options.links.results_path = "gilguard-results.json";
  options.links.comparison_path = "gilguard-comparison.json";
  // The token as `gilguard check` passes it (its GITHUB_TOKEN is never read from an environment).
  options.token = k_token;
  std::ostringstream out;
  std::ostringstream err;
  const auto run = test::sample_run();
  const auto result = github::publish(test::regression_comparison(), &run, options, env, out, err);

  EXPECT_EQ(result.comment.action, github::CommentOutcome::Action::created)
      << result.comment.detail << "\n"
      << joined(server.log());
  EXPECT_TRUE(result.summary_written);
  EXPECT_TRUE(result.outputs_written);
  const std::string summary = test::read_file(m_dir.path() / "summary.md");
  const std::string outputs = test::read_file(m_dir.path() / "output");
  EXPECT_EQ(summary.rfind("## ❌ gilguard: Regression", 0), 0u);
  EXPECT_NE(outputs.find("\nregression\n"), std::string::npos) << outputs;
  // The head commit of the payload's pull request is named in the comment.
  const auto comments = server.comments();
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_NE(comments[0].second.find("commit `ec26c3e57ca3a959ca5aad62de7213c562f8c821`"),
            std::string::npos);
  EXPECT_NE(out.str().find("::error title=Regression%3A free-threaded speedup at 4 threads::"),
            std::string::npos);
  EXPECT_EQ(violations_text(server), "");
  expect_token_only_masked(out.str(),
                           {{"stderr", err.str()}, {"summary", summary}, {"outputs", outputs}});
}

}  // namespace
}  // namespace gilguard
