#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "gilguard/core/error.hpp"

namespace gilguard::github {

// One HTTP request. Header lines are "Name: value".
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;
  std::string body;
};

// One HTTP response; header names lower-cased (the last value wins).
struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;
  std::string body;

  // The header's value, or "" when absent. `name` must be lower case.
  std::string header(const std::string& name) const;
};

// Sends requests; the REST client talks to this so tests can script the server.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // The response, whatever its status; fails only when no response came (DNS, connection,
  // timeout, TLS). The error never quotes the request headers.
  virtual Expected<HttpResponse> send(const HttpRequest& request) = 0;
};

// Timeouts for one request.
struct HttpTimeouts {
  std::chrono::milliseconds connect{10'000};
  std::chrono::milliseconds total{30'000};
};

// HTTP(S) over libcurl: no redirects followed (a token must not travel to another host),
// http/https only, bounded response size, proxies from the environment except for loopback.
class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(HttpTimeouts timeouts = {});
  Expected<HttpResponse> send(const HttpRequest& request) override;

 private:
  HttpTimeouts m_timeouts;
};

}  // namespace gilguard::github
