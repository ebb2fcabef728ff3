#include "gilguard/github/sticky_comment.hpp"

#include <gtest/gtest.h>

#include "unit/github/fake_github.hpp"

namespace gilguard::github {
namespace {

using Action = CommentOutcome::Action;
constexpr std::string_view k_marker = "<!-- gilguard:comment -->";

struct StickyTest : ::testing::Test {
  test::FakeGitHub fake;
  RestClient client{fake, "https://api.github.com", "t",
                    RetryPolicy{3, std::chrono::milliseconds(1), std::chrono::milliseconds(10)},
                    [](std::chrono::milliseconds) {}};

  CommentOutcome post(const std::string& text, CommentMode mode = CommentMode::always,
                      bool worth = true) {
    return post_sticky_comment(client, "o/r", 2, std::string(k_marker) + "\n" + text, k_marker,
                               mode, worth);
  }
};

TEST_F(StickyTest, CreatesOnceThenEdits) {
  fake.comments[2] = {{1, "LGTM"}};
  auto first = post("first");
  EXPECT_EQ(first.action, Action::created) << first.detail;
  EXPECT_EQ(first.id, 1000);
  auto second = post("second");
  EXPECT_EQ(second.action, Action::updated) << second.detail;
  EXPECT_EQ(second.id, 1000);
  ASSERT_EQ(fake.comments[2].size(), 2u);
  EXPECT_EQ(fake.comments[2][1].second, std::string(k_marker) + "\nsecond");
  auto third = post("second");
  EXPECT_EQ(third.action, Action::unchanged);
  EXPECT_EQ(fake.count("POST"), 1);
  EXPECT_EQ(fake.count("PATCH"), 1);
}

TEST_F(StickyTest, FindsOursOnALaterPage) {
  fake.per_page_limit = 100;
  for (int i = 0; i < 150; ++i)
    fake.comments[2].emplace_back(i + 1, "comment " + std::to_string(i));
  fake.comments[2][120].second = std::string(k_marker) + "\nold";
  // A quote of our comment by someone else does not count: ours starts with the marker.
  fake.comments[2][10].second = "> " + std::string(k_marker) + "\n> old";
  auto outcome = post("new");
  EXPECT_EQ(outcome.action, Action::updated) << outcome.detail;
  EXPECT_EQ(outcome.id, 121);
  EXPECT_EQ(fake.count("GET"), 2);
  EXPECT_EQ(fake.requests[1].url,
            "https://api.github.com/repos/o/r/issues/2/comments?per_page=100&page=2");
}

TEST_F(StickyTest, AutoCreatesOnlyWithSomethingToSayButAlwaysEdits) {
  auto skipped = post("pass", CommentMode::automatic, false);
  EXPECT_EQ(skipped.action, Action::skipped);
  EXPECT_EQ(skipped.detail, "No pull request comment on #2: nothing to report (--comment auto).");
  EXPECT_EQ(fake.count("POST"), 0);
  EXPECT_EQ(post("regression", CommentMode::automatic, true).action, Action::created);
  EXPECT_EQ(post("pass again", CommentMode::automatic, false).action, Action::updated);
  EXPECT_EQ(post("x", CommentMode::never).action, Action::skipped);
  EXPECT_EQ(fake.requests.size(), 5u);  // GET; GET, POST; GET, PATCH; never: nothing
}

TEST_F(StickyTest, ForbiddenIsDeniedWithAHint) {
  fake.scripted = {{403, {}, "{\"message\":\"Resource not accessible by integration\"}"}};
  auto outcome = post("x");
  EXPECT_EQ(outcome.action, Action::denied);
  EXPECT_EQ(outcome.detail,
            "Skipped the pull request comment on #2: the token may not comment there (HTTP 403 "
            "while listing the comments of #2: Resource not accessible by integration). Pull "
            "requests from forks get a read-only token; post the comment from a workflow_run "
            "workflow with 'gilguard comment'. Everything else is reported as usual.");
}

TEST_F(StickyTest, ForbiddenOnCreate) {
  fake.scripted = {{200, {}, "[]"}, {403, {}, "{\"message\":\"Forbidden\"}"}};
  auto outcome = post("x");
  EXPECT_EQ(outcome.action, Action::denied);
  EXPECT_NE(outcome.detail.find("HTTP 403 while creating the comment: Forbidden"),
            std::string::npos);
}

TEST_F(StickyTest, A502AfterTheCommentLandedDoesNotDuplicateIt) {
  fake.fail_post_after_create = true;
  auto outcome = post("x");
  EXPECT_EQ(outcome.action, Action::unchanged) << outcome.detail;
  EXPECT_EQ(fake.comments[2].size(), 1u);
  EXPECT_EQ(fake.count("POST"), 1);
}

TEST_F(StickyTest, A502BeforeTheCommentLandedIsRetried) {
  fake.scripted = {{200, {}, "[]"}, {502, {}, "{}"}};
  auto outcome = post("x");
  EXPECT_EQ(outcome.action, Action::created) << outcome.detail;
  EXPECT_EQ(fake.comments[2].size(), 1u);
  EXPECT_EQ(fake.count("POST"), 2);
}

TEST_F(StickyTest, PersistentServerTroubleIsAFailureNotAnException) {
  for (int i = 0; i < 10; ++i) fake.scripted.push_back({503, {}, "{}"});
  auto outcome = post("x");
  EXPECT_EQ(outcome.action, Action::failed);
  EXPECT_EQ(outcome.detail,
            "Could not post the pull request comment on #2: HTTP 503 while listing the comments "
            "of #2. The job summary has the full report.");
}

TEST(CommentHeader, TheHiddenLinesABodyStartsWith) {
  EXPECT_EQ(comment_header("<!-- gilguard:comment -->\n<!-- gilguard:key=k -->\n### x"),
            "<!-- gilguard:comment -->\n<!-- gilguard:key=k -->");
  EXPECT_EQ(comment_header("<!-- gilguard:comment -->\r\n### x"), "<!-- gilguard:comment -->");
  EXPECT_EQ(comment_header("> <!-- gilguard:comment -->\n"), "");
  EXPECT_EQ(comment_header("LGTM"), "");
}

// A keyed job's marker finds its own comment before one from before keys, and that one only
// when it has none; a job without a key never takes a keyed comment.
TEST_F(StickyTest, KeysKeepTheirOwnCommentsAndAKeylessOneIsAdopted) {
  const std::string keyed_a = std::string(k_marker) + "\n<!-- gilguard:key=a -->";
  const std::string keyed_b = std::string(k_marker) + "\n<!-- gilguard:key=b -->";
  fake.comments[2] = {{1, std::string(k_marker) + "\nold"}, {2, keyed_a + "\nA"}};
  const auto post_as = [this](const std::string& marker, const std::string& text) {
    return post_sticky_comment(client, "o/r", 2, marker + "\n" + text, marker, CommentMode::always,
                               true);
  };
  EXPECT_EQ(post_as(keyed_a, "A2").id, 2);
  EXPECT_EQ(post_as(keyed_b, "B").id, 1);  // adopts the comment from before keys
  EXPECT_EQ(fake.comments[2][0].second, keyed_b + "\nB");
  const auto keyless = post_as(std::string(k_marker), "none");
  EXPECT_EQ(keyless.action, Action::created);
  EXPECT_EQ(fake.comments[2].size(), 3u);
  EXPECT_EQ(fake.comments[2][1].second, keyed_a + "\nA2");
}

TEST(CommentMode, ParsesTheThreeModes) {
  EXPECT_EQ(parse_comment_mode("auto"), CommentMode::automatic);
  EXPECT_EQ(parse_comment_mode("always"), CommentMode::always);
  EXPECT_EQ(parse_comment_mode("never"), CommentMode::never);
  EXPECT_EQ(parse_comment_mode("sometimes"), std::nullopt);
}

}  // namespace
}  // namespace gilguard::github
