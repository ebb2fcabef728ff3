#include "gilguard/github/rest_client.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <charconv>
#include <thread>

#include "gilguard/version.hpp"

namespace gilguard::github {
namespace {

std::optional<long long> parse_integer(std::string_view text) {
  long long value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

// Retry-After holds delay-seconds or an HTTP-date (RFC 9110, section 10.2.3); the date is
// turned into seconds from `now`, never negative. nullopt when it is neither.
std::optional<std::chrono::seconds> retry_after_seconds(const std::string& value,
                                                        std::chrono::system_clock::time_point now) {
  using std::chrono::seconds;
  if (value.empty()) return std::nullopt;
  if (const auto after = parse_integer(value)) {
    if (*after < 0) return std::nullopt;
    return seconds(*after);
  }
  // curl_getdate reads all three HTTP-date forms (IMF-fixdate, RFC 850, asctime).
  const time_t when = curl_getdate(value.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  const auto now_seconds = std::chrono::duration_cast<seconds>(now.time_since_epoch());
  return std::max(seconds(when) - now_seconds, seconds(0));
}

std::chrono::milliseconds exponential(std::chrono::milliseconds base, int attempt) {
  auto delay = base;
  for (int i = 1; i < attempt && delay < std::chrono::hours(1); ++i) delay *= 2;
  return delay;
}

}  // namespace

std::string url_origin(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  const auto path = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, path));
}

std::string next_link(std::string_view link_header) {
  // Link: <url>; rel="next", <url>; rel="last"
  std::size_t pos = 0;
  while (pos < link_header.size()) {
    const auto open = link_header.find('<', pos);
    if (open == std::string_view::npos) break;
    const auto close = link_header.find('>', open);
    if (close == std::string_view::npos) break;
    const auto end = link_header.find('<', close);
    const std::string_view params = link_header.substr(close + 1, end - close - 1);
    if (params.find("rel=\"next\"") != std::string_view::npos ||
        params.find("rel=next") != std::string_view::npos) {
      return std::string(link_header.substr(open + 1, close - open - 1));
    }
    pos = close + 1;
  }
  return "";
}

RestClient::RestClient(HttpTransport& transport, std::string api_url, std::string token,
                       RetryPolicy policy, Sleep sleep, Clock clock)
    : m_transport(transport),
      m_api_url(std::move(api_url)),
      m_origin(url_origin(m_api_url)),
      m_token(std::move(token)),
      m_policy(policy),
      m_sleep(sleep ? std::move(sleep) : Sleep([](auto d) { std::this_thread::sleep_for(d); })),
      m_clock(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {
  while (!m_api_url.empty() && m_api_url.back() == '/') m_api_url.pop_back();
}

std::optional<std::chrono::milliseconds> RestClient::retry_delay(const HttpResponse& response,
                                                                 int attempt,
                                                                 bool idempotent) const {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  const long status = response.status;
  const std::string retry_after = response.header("retry-after");
  const std::string remaining = response.header("x-ratelimit-remaining");
  const bool rate_limited =
      status == 429 || (status == 403 && (!retry_after.empty() || remaining == "0"));
  if (!rate_limited && !(status >= 500 && idempotent)) return std::nullopt;

  milliseconds delay = exponential(m_policy.backoff, attempt);
  if (const auto after = retry_after_seconds(retry_after, m_clock())) {
    delay = std::max(delay, milliseconds(*after));
  } else if (remaining == "0") {
    if (const auto reset = parse_integer(response.header("x-ratelimit-reset"))) {
      const auto now = std::chrono::duration_cast<seconds>(m_clock().time_since_epoch());
      delay = std::max(delay, milliseconds(seconds(*reset) - now + seconds(1)));
    }
  }
  if (delay > m_policy.max_wait) return std::nullopt;
  return delay;
}

void RestClient::back_off(int attempt) {
  m_sleep(std::min(exponential(m_policy.backoff, attempt), m_policy.max_wait));
}

Expected<HttpResponse> RestClient::call(std::string_view method, std::string_view path,
                                        std::string_view body, bool idempotent) {
  HttpRequest request;
  request.method = std::string(method);
  if (path.starts_with("/")) {
    request.url = m_api_url + std::string(path);
  } else if (url_origin(path) == m_origin && !m_origin.empty()) {
    request.url = std::string(path);
  } else {
    return fail(
        fmt::format("refusing to send the token to {}, which is not on the API's origin "
                    "{}",
                    path, m_origin));
  }
  request.headers = {
      "Accept: application/vnd.github+json",
      "X-GitHub-Api-Version: 2022-11-28",
      fmt::format("User-Agent: gilguard/{}", k_version),
  };
  if (!m_token.empty()) request.headers.push_back("Authorization: Bearer " + m_token);
  if (!body.empty()) {
    request.headers.push_back("Content-Type: application/json");
    request.body = std::string(body);
  }

  const int attempts = std::max(1, m_policy.max_attempts);
  for (int attempt = 1;; ++attempt) {
    auto response = m_transport.send(request);
    if (!response) {
      // A request that may have reached the server is not repeated blindly when it is not
      // idempotent: the caller checks first.
      if (attempt >= attempts || !idempotent) {
        return fail(fmt::format("{} (after {} attempt{})", response.error().message, attempt,
                                attempt == 1 ? "" : "s"));
      }
      m_sleep(std::min(exponential(m_policy.backoff, attempt), m_policy.max_wait));
      continue;
    }
    if (attempt >= attempts) return response;
    const auto delay = retry_delay(*response, attempt, idempotent);
    if (!delay) return response;
    m_sleep(*delay);
  }
}

}  // namespace gilguard::github
