#include "gilguard/github/rest_client.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "unit/github/fake_github.hpp"

namespace gilguard::github {
namespace {

using std::chrono::milliseconds;

struct Recorder {
  std::vector<milliseconds> waits;
  RestClient::Sleep sleep() {
    return [this](milliseconds d) { waits.push_back(d); };
  }
};

HttpResponse status(long code, std::map<std::string, std::string> headers = {}) {
  return {code, std::move(headers), "{\"message\":\"scripted\"}"};
}

TEST(RestClient, SendsGitHubHeadersAndTheTokenOnlyAsBearer) {
  test::FakeGitHub fake;
  Recorder recorder;
  RestClient client(fake, "https://api.github.com/", "s3cr3t", {}, recorder.sleep());
  ASSERT_TRUE(client.call("GET", "/repos/o/r/issues/2/comments"));
  ASSERT_EQ(fake.requests.size(), 1u);
  const auto& request = fake.requests[0];
  EXPECT_EQ(request.url, "https://api.github.com/repos/o/r/issues/2/comments");
  const std::vector<std::string> expected = {
      "Accept: application/vnd.github+json", "X-GitHub-Api-Version: 2022-11-28",
      std::string("User-Agent: gilguard/") + "0.1.0", "Authorization: Bearer s3cr3t"};
  EXPECT_EQ(request.headers, expected);
  EXPECT_EQ(request.url.find("s3cr3t"), std::string::npos);
}

TEST(RestClient, RetriesServerErrorsWithExponentialBackoff) {
  test::FakeGitHub fake;
  fake.scripted = {status(502), status(503), status(500)};
  Recorder recorder;
  RestClient client(fake, "https://api.github.com", "t",
                    {4, milliseconds(100), milliseconds(60000)}, recorder.sleep());
  auto response = client.call("GET", "/repos/o/r/issues/2/comments");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(recorder.waits,
            (std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400)}));
}

TEST(RestClient, GivesUpAfterMaxAttemptsAndReturnsTheLastResponse) {
  test::FakeGitHub fake;
  fake.scripted = {status(502), status(502), status(502)};
  Recorder recorder;
  RestClient client(fake, "https://api.github.com", "t", {3, milliseconds(10), milliseconds(100)},
                    recorder.sleep());
  auto response = client.call("GET", "/x");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 502);
  EXPECT_EQ(fake.requests.size(), 3u);
}

// Sends one GET through a client that makes 4 attempts (backoff 100 ms, cap 60 s) against the
// scripted responses, with the clock at `now`; expects the request to end in a 200 (the fake's
// answer once the script is used up) and returns the waits between attempts.
std::vector<milliseconds> waits_until_success(std::deque<HttpResponse> scripted,
                                              std::chrono::seconds now = std::chrono::seconds(0)) {
  test::FakeGitHub fake;
  fake.scripted = std::move(scripted);
  Recorder recorder;
  const auto clock = std::chrono::system_clock::time_point(now);
  RestClient client(fake, "https://api.github.com", "t",
                    {4, milliseconds(100), milliseconds(60000)}, recorder.sleep(),
                    [clock] { return clock; });
  auto response = client.call("GET", "/repos/o/r/issues/2/comments");
  EXPECT_TRUE(response && response->status == 200);
  return recorder.waits;
}

TEST(RestClient, HonoursRetryAfterAndRateLimitReset) {
  EXPECT_EQ(waits_until_success(
                {status(429, {{"retry-after", "3"}}),
                 status(403, {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1005"}})},
                std::chrono::seconds(1000)),
            (std::vector<milliseconds>{milliseconds(3000), milliseconds(6000)}));
}

TEST(RestClient, RetryAfterMayBeAnHttpDate) {
  // RFC 9110's date forms: IMF-fixdate, then RFC 850; a date already past waits only the backoff.
  // 784111777 is Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date.
  EXPECT_EQ(
      waits_until_success({status(429, {{"retry-after", "Sun, 06 Nov 1994 08:49:41 GMT"}}),
                           status(429, {{"retry-after", "Sunday, 06-Nov-94 08:49:57 GMT"}}),
                           status(429, {{"retry-after", "Sat, 05 Nov 1994 00:00:00 GMT"}})},
                          std::chrono::seconds(784111777)),
      (std::vector<milliseconds>{milliseconds(4000), milliseconds(20000), milliseconds(400)}));
}

TEST(RestClient, UnreadableRetryAfterFallsBackToBackoff) {
  EXPECT_EQ(waits_until_success(
                {status(429, {{"retry-after", "soon"}}), status(429, {{"retry-after", "-5"}})}),
            (std::vector<milliseconds>{milliseconds(100), milliseconds(200)}));
}

TEST(RestClient, DoesNotWaitLongerThanTheCap) {
  test::FakeGitHub fake;
  fake.scripted = {status(429, {{"retry-after", "3600"}})};
  Recorder recorder;
  RestClient client(fake, "https://api.github.com", "t",
                    {4, milliseconds(100), milliseconds(60000)}, recorder.sleep());
  auto response = client.call("GET", "/x");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 429);
  EXPECT_TRUE(recorder.waits.empty());
}

TEST(RestClient, PermissionErrorsAreNotRetried) {
  test::FakeGitHub fake;
  fake.scripted = {status(403)};
  Recorder recorder;
  RestClient client(fake, "https://api.github.com", "t", {}, recorder.sleep());
  auto response = client.call("POST", "/x", "{}", false);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 403);
  EXPECT_EQ(fake.requests.size(), 1u);
}

TEST(RestClient, NonIdempotentRequestsAreNotRepeatedOn5xxOrNoAnswer) {
  test::FakeGitHub fake;
  fake.scripted = {status(502), HttpResponse{}};
  Recorder recorder;
  RestClient client(fake, "https://api.github.com", "t", {}, recorder.sleep());
  auto first = client.call("POST", "/x", "{}", false);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 502);
  auto second = client.call("POST", "/x", "{}", false);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().message, "connection refused (scripted) (after 1 attempt)");
}

TEST(RestClient, ConnectionErrorsAreRetriedForReads) {
  test::FakeGitHub fake;
  fake.scripted = {HttpResponse{}, HttpResponse{}};
  Recorder recorder;
  RestClient client(fake, "https://api.github.com", "t", {}, recorder.sleep());
  auto response = client.call("GET", "/x");
  ASSERT_TRUE(response);
  EXPECT_EQ(fake.requests.size(), 3u);
}

TEST(RestClient, RefusesToSendTheTokenToAnotherOrigin) {
  test::FakeGitHub fake;
  RestClient client(fake, "https://api.github.com", "t");
  auto response = client.call("GET", "https://evil.example/repos/o/r/issues/2/comments?page=2");
  ASSERT_FALSE(response);
  EXPECT_EQ(
      response.error().message,
      "refusing to send the token to https://evil.example/repos/o/r/issues/2/comments?page=2, "
      "which is not on the API's origin https://api.github.com");
  EXPECT_TRUE(fake.requests.empty());
  EXPECT_TRUE(client.call("GET", "https://api.github.com/repos/o/r/issues/2/comments?page=2"));
}

TEST(LinkHeader, FindsNext) {
  EXPECT_EQ(next_link("<https://api.github.com/x?page=2>; rel=\"next\", "
                      "<https://api.github.com/x?page=5>; rel=\"last\""),
            "https://api.github.com/x?page=2");
  EXPECT_EQ(next_link("<https://api.github.com/x?page=1>; rel=\"prev\", "
                      "<https://api.github.com/x?page=3>; rel=\"next\""),
            "https://api.github.com/x?page=3");
  EXPECT_EQ(next_link("<https://api.github.com/x?page=1>; rel=\"first\""), "");
  EXPECT_EQ(next_link(""), "");
}

TEST(LinkHeader, Origin) {
  EXPECT_EQ(url_origin("https://ghe.example.com/api/v3/repos"), "https://ghe.example.com");
  EXPECT_EQ(url_origin("http://127.0.0.1:8080?x"), "http://127.0.0.1:8080");
  EXPECT_EQ(url_origin("nonsense"), "");
}

}  // namespace
}  // namespace gilguard::github
