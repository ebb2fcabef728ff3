#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "gilguard/core/error.hpp"
#include "gilguard/github/http.hpp"

namespace gilguard::github {

// How hard the client tries before it gives up on a request.
struct RetryPolicy {
  int max_attempts = 4;                        // first try included
  std::chrono::milliseconds backoff{1000};     // doubled after each failed attempt
  std::chrono::milliseconds max_wait{60'000};  // a longer Retry-After or reset means: give up
};

// The GitHub REST API over an HttpTransport: adds the headers GitHub asks for (Bearer token,
// Accept: application/vnd.github+json, X-GitHub-Api-Version, User-Agent), retries with
// exponential backoff on connection errors, 5xx (idempotent requests only), 429 and rate-limit
// 403s, honouring Retry-After and X-RateLimit-Reset up to max_wait. The token only ever goes into
// the Authorization header of requests to api_url's own origin.
class RestClient {
 public:
  using Sleep = std::function<void(std::chrono::milliseconds)>;
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  RestClient(HttpTransport& transport, std::string api_url, std::string token,
             RetryPolicy policy = {}, Sleep sleep = {}, Clock clock = {});

  // Sends METHOD to `path` (starting with '/', appended to api_url) or to an absolute URL on
  // the API's origin (a pagination link). `body` is JSON. Returns the final response, whatever
  // its status; fails when no response came after the retries or the URL leaves the origin.
  // `idempotent` false (POST) means a 5xx is returned, not retried: the caller must check
  // whether the first attempt took effect.
  Expected<HttpResponse> call(std::string_view method, std::string_view path,
                              std::string_view body = {}, bool idempotent = true);

  // Waits the policy's backoff for the given attempt (1, 2, ...), through the client's sleep.
  void back_off(int attempt);

  const std::string& api_url() const { return m_api_url; }

 private:
  // How long to wait before retrying after `response`, or nullopt: do not retry.
  std::optional<std::chrono::milliseconds> retry_delay(const HttpResponse& response, int attempt,
                                                       bool idempotent) const;

  HttpTransport& m_transport;
  std::string m_api_url;
  std::string m_origin;
  std::string m_token;
  RetryPolicy m_policy;
  Sleep m_sleep;
  Clock m_clock;
};

// The URL of rel="next" in a Link header, or "" when there is none.
std::string next_link(std::string_view link_header);

// "scheme://host[:port]" of a URL.
std::string url_origin(std::string_view url);

}  // namespace gilguard::github
