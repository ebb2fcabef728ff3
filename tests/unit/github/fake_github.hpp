#pragma once

// An in-memory GitHub for the unit tests of the REST client, the sticky comment and publish():
// comments per issue, pagination, and scripted failures. (The integration test runs the real
// binary against tests/js/fake-github.mjs, which also checks requests against GitHub's OpenAPI
// description.)

#include <boost/json.hpp>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gilguard/github/http.hpp"

namespace gilguard::test {

class FakeGitHub : public github::HttpTransport {
 public:
  explicit FakeGitHub(std::string base = "https://api.github.com") : m_base(std::move(base)) {}

  // Responses (or failures, when status is 0) served before the normal behaviour, in order.
  std::deque<github::HttpResponse> scripted;
  // Comments on each issue number, oldest first.
  std::map<int, std::vector<std::pair<std::int64_t, std::string>>> comments;
  std::vector<github::HttpRequest> requests;
  int per_page_limit = 100;             // the server's page size, whatever per_page says
  bool fail_post_after_create = false;  // create the comment, then answer 502 once

  Expected<github::HttpResponse> send(const github::HttpRequest& request) override {
    requests.push_back(request);
    if (!scripted.empty()) {
      auto response = scripted.front();
      scripted.pop_front();
      if (response.status == 0) return fail("connection refused (scripted)");
      return response;
    }
    return serve(request);
  }

  // How many requests had this method.
  int count(const std::string& method) const {
    int n = 0;
    for (const auto& r : requests) n += r.method == method ? 1 : 0;
    return n;
  }

 private:
  github::HttpResponse json(long status, const boost::json::value& value) {
    return {status, {{"content-type", "application/json"}}, boost::json::serialize(value)};
  }

  boost::json::object comment_json(std::int64_t id, const std::string& body) {
    return {{"id", id},
            {"body", body},
            {"html_url", "https://github.com/o/r/pull/2#issuecomment-" + std::to_string(id)}};
  }

  github::HttpResponse serve(const github::HttpRequest& request) {
    const std::string prefix = m_base + "/repos/o/r/issues/";
    if (request.url.rfind(prefix, 0) != 0) return json(404, {{"message", "Not Found"}});
    std::string rest = request.url.substr(prefix.size());
    if (request.method == "PATCH" && rest.rfind("comments/", 0) == 0) {
      const auto id = std::stoll(rest.substr(9));
      for (auto& [issue, list] : comments) {
        for (auto& [cid, body] : list) {
          if (cid == id) {
            body = std::string(boost::json::parse(request.body).at("body").as_string());
            return json(200, comment_json(cid, body));
          }
        }
      }
      return json(404, {{"message", "Not Found"}});
    }
    const auto slash = rest.find('/');
    const int issue = std::stoi(rest.substr(0, slash));
    auto& list = comments[issue];
    if (request.method == "POST") {
      const auto id = m_next_id++;
      list.emplace_back(id, std::string(boost::json::parse(request.body).at("body").as_string()));
      if (fail_post_after_create) {
        fail_post_after_create = false;
        return json(502, {{"message", "Bad Gateway"}});
      }
      return json(201, comment_json(id, list.back().second));
    }
    int page = 1;
    for (const char* key : {"?page=", "&page="}) {
      if (const auto p = rest.find(key); p != std::string::npos)
        page = std::stoi(rest.substr(p + 6));
    }
    boost::json::array items;
    const std::size_t first = static_cast<std::size_t>((page - 1) * per_page_limit);
    for (std::size_t i = first; i < list.size() && i < first + per_page_limit; ++i) {
      items.push_back(comment_json(list[i].first, list[i].second));
    }
    auto response = json(200, items);
    if (first + per_page_limit < list.size()) {
      response.headers["link"] = "<" + prefix + std::to_string(issue) +
                                 "/comments?per_page=100&page=" + std::to_string(page + 1) +
                                 ">; rel=\"next\", <" + prefix +
                                 "999/comments?page=99>; rel=\"last\"";
    }
    return response;
  }

  std::string m_base;
  std::int64_t m_next_id = 1000;
};

}  // namespace gilguard::test
