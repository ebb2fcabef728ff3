// Cross-checks gilguard's workflow-command escaping against the Actions toolkit itself:
// tests/js/escape-corpus.mjs prints what @actions/core writes for each case of
// tests/js/escaping-corpus.json, and we render the same cases.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

#include "gilguard/report/annotations.hpp"
#include "gilguard/util/process.hpp"
#include "support/node_tools.hpp"
#include "support/test_util.hpp"

namespace gilguard::report {
namespace {

TEST(ToolkitEscaping, MatchesActionsCoreOnTheCorpus) {
  REQUIRE_NODE_TOOLS(tools);
  const auto corpus_text = test::read_file(tools.dir / "escaping-corpus.json");
  const auto corpus = boost::json::parse(corpus_text).as_object().at("cases").as_array();
  ASSERT_GE(corpus.size(), 10u);

  util::ProcessOptions options;
  options.timeout = std::chrono::seconds(60);
  const auto result =
      util::run_process({tools.node.string(), (tools.dir / "escape-corpus.mjs").string()},
                        util::Environment{{"PATH", "/usr/bin:/bin"}}, options);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_TRUE(result->success()) << result->describe() << "\n" << result->stderr_text;

  std::istringstream lines(result->stdout_text);
  std::string line;
  std::size_t checked = 0;
  while (std::getline(lines, line)) {
    const auto row = boost::json::parse(line).as_object();
    const auto index = static_cast<std::size_t>(row.at("index").as_int64());
    ASSERT_LT(index, corpus.size());
    const auto& entry = corpus[index].as_object();
    const std::string title(entry.at("title").as_string());
    const std::string message(entry.at("message").as_string());
    EXPECT_EQ(workflow_command("error", {{"title", title}}, message),
              std::string(row.at("error").as_string()))
        << "case " << index;
    EXPECT_EQ(workflow_command("add-mask", {}, message), std::string(row.at("mask").as_string()))
        << "case " << index;
    ++checked;
  }
  EXPECT_EQ(checked, corpus.size());
}

}  // namespace
}  // namespace gilguard::report
