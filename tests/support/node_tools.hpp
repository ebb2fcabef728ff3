#pragma once

// The npm test tooling in tests/js (installed by `npm ci --prefix tests/js`): GitHub's own
// escaping, REST description and webhook payloads. Tests that need it skip with a message when it
// is missing, except under CI (CI set), where they fail.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"

namespace gilguard::test {

struct NodeTools {
  std::filesystem::path node;  // the node executable
  std::filesystem::path dir;   // tests/js
};

// tests/js in the source tree.
inline std::filesystem::path js_dir() { return data_dir().parent_path() / "js"; }

// node and tests/js/node_modules with the three packages, or nullopt with `why` filled in.
inline std::optional<NodeTools> find_node_tools(std::string& why) {
  const auto node = util::find_on_path("node", util::current_environment());
  if (!node) {
    why = "node is not on PATH";
    return std::nullopt;
  }
  for (const char* package : {"@actions/core", "@octokit/openapi", "@octokit/webhooks-examples"}) {
    if (!std::filesystem::exists(js_dir() / "node_modules" / package / "package.json")) {
      why = std::string(package) + " is not installed; run 'npm ci --prefix tests/js'";
      return std::nullopt;
    }
  }
  return NodeTools{*node, js_dir()};
}

// The pull_request "opened" example from @octokit/webhooks-examples (GitHub's published
// payloads), serialized as a GITHUB_EVENT_PATH file holds it; nullopt when the package has none.
inline std::optional<std::string> pull_request_opened_example(const NodeTools& tools) {
  const auto examples = boost::json::parse(
      read_file(tools.dir / "node_modules/@octokit/webhooks-examples/api.github.com/index.json"));
  for (const auto& event : examples.as_array()) {
    if (event.at("name").as_string() != "pull_request") continue;
    for (const auto& example : event.at("examples").as_array()) {
      if (example.at("action").as_string() == "opened") return boost::json::serialize(example);
    }
  }
  return std::nullopt;
}

}  // namespace gilguard::test

// Declares `tools` in a TEST body, or skips (fails under CI) when node or tests/js/node_modules
// is missing.
#define REQUIRE_NODE_TOOLS(tools)                                                      \
  std::string tools##_why;                                                             \
  const auto tools##_found = ::gilguard::test::find_node_tools(tools##_why);           \
  if (!tools##_found) {                                                                \
    if (std::getenv("CI") != nullptr) FAIL() << tools##_why << " (required under CI)"; \
    GTEST_SKIP() << tools##_why;                                                       \
  }                                                                                    \
  const auto& tools = *tools##_found
