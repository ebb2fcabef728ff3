#include "gilguard/report/annotations.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <string>

#include "gilguard/report/findings.hpp"
#include "support/test_util.hpp"
#include "support/workflow_log.hpp"

namespace gilguard::report {
namespace {

// What the Actions runner makes of one log line (its ActionCommand.TryParseV2 rules): the
// command name, properties and data, unescaped. Written from the runner's documented behaviour
// so that our escaping is checked against the parser, not against itself.
struct Parsed {
  std::string command;
  std::map<std::string, std::string> properties;
  std::string data;
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

std::optional<Parsed> runner_parse(std::string line) {
  line.erase(0, line.find_first_not_of(" \t"));
  if (line.rfind("::", 0) != 0) return std::nullopt;
  const auto end = line.find("::", 2);
  if (end == std::string::npos) return std::nullopt;
  const std::string info = line.substr(2, end - 2);
  Parsed parsed;
  const auto space = info.find(' ');
  parsed.command = info.substr(0, space);
  if (space != std::string::npos) {
    std::string props = info.substr(space + 1);
    std::size_t start = 0;
    while (start <= props.size()) {
      auto comma = props.find(',', start);
      if (comma == std::string::npos) comma = props.size();
      const std::string pair = props.substr(start, comma - start);
      const auto eq = pair.find('=');
      if (eq != std::string::npos && eq > 0) {
        std::string value = pair.substr(eq + 1);
        for (const auto& [token, replacement] :
             {std::pair{"\r", "%0D"}, {"\n", "%0A"}, {":", "%3A"}, {",", "%2C"}, {"%", "%25"}}) {
          value = replace_all(value, replacement, token);
        }
        parsed.properties[pair.substr(0, eq)] = value;
      }
      start = comma + 1;
    }
  }
  std::string data = line.substr(end + 2);
  for (const auto& [token, replacement] : {std::pair{"\r", "%0D"}, {"\n", "%0A"}, {"%", "%25"}}) {
    data = replace_all(data, replacement, token);
  }
  parsed.data = data;
  return parsed;
}

TEST(Escaping, DataEscapesPercentCrLfOnly) {
  EXPECT_EQ(escape_data("100% a\r\nb:c,d"), "100%25 a%0D%0Ab:c,d");
  EXPECT_EQ(escape_data("%0A"), "%250A");
  EXPECT_EQ(escape_data("ü 🚀"), "ü 🚀");
}

TEST(Escaping, PropertyAlsoEscapesColonAndComma) {
  EXPECT_EQ(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
  EXPECT_EQ(escape_property("::"), "%3A%3A");
}

TEST(Escaping, RunnerReadsBackExactlyWhatWeWrote) {
  const std::vector<std::pair<std::string, std::string>> corpus = {
      {"plain", "plain"},
      {"a:b, c", "x\ny\r\nz"},
      {"100%", "%25 %0A %3A literal"},
      {"::warning::x", "::error title=y::z"},
      {"title=evil,line=1", "##[add-mask]v1 format"},
      {"ü — 日本語", "🚀 ✅"},
      {"%%0D", "%%0A%"},
  };
  for (const auto& [title, message] : corpus) {
    const std::string line = workflow_command("error", {{"title", title}}, message);
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    const auto parsed = runner_parse(line);
    ASSERT_TRUE(parsed) << line;
    EXPECT_EQ(parsed->command, "error");
    ASSERT_EQ(parsed->properties.size(), 1u) << line;
    EXPECT_EQ(parsed->properties.at("title"), title) << line;
    EXPECT_EQ(parsed->data, message) << line;
  }
}

TEST(WorkflowCommand, LeavesOutEmptyPropertiesLikeTheToolkit) {
  EXPECT_EQ(workflow_command("notice", {{"title", ""}, {"file", "a.py"}}, "m"),
            "::notice file=a.py::m");
  EXPECT_EQ(workflow_command("warning", {}, "m"), "::warning::m");
  EXPECT_EQ(workflow_command("error", {{"title", "T"}, {"line", "3"}}, "m"),
            "::error title=T,line=3::m");
}

Finding finding(Severity severity, int rank, std::string title, double weight = 0) {
  return {severity, rank, weight, std::move(title), "message of " + title};
}

TEST(SelectAnnotations, KeepsAllWhenWithinTheLimit) {
  std::vector<Finding> findings;
  for (int i = 0; i < 10; ++i)
    findings.push_back(finding(Severity::error, i, "e" + std::to_string(i)));
  const auto shown = select_annotations(findings);
  EXPECT_EQ(shown, findings);
}

TEST(SelectAnnotations, TenthMergesTheRestPerSeverity) {
  std::vector<Finding> findings;
  for (int i = 0; i < 14; ++i)
    findings.push_back(finding(Severity::warning, i, "w" + std::to_string(i)));
  for (int i = 0; i < 3; ++i)
    findings.push_back(finding(Severity::notice, i, "n" + std::to_string(i)));
  const auto shown = select_annotations(findings);
  ASSERT_EQ(shown.size(), 13u);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(shown[i].title, "w" + std::to_string(i));
  EXPECT_EQ(shown[9].severity, Severity::warning);
  EXPECT_EQ(shown[9].title, "5 more warnings");
  EXPECT_EQ(shown[9].message, "and 5 more, see the job summary: w9; w10; w11; w12; w13");
  EXPECT_EQ(shown[10].title, "n0");
  EXPECT_EQ(shown[12].title, "n2");
}

TEST(SelectAnnotations, HonoursASmallerSharedBudget) {
  std::vector<Finding> findings;
  for (int i = 0; i < 4; ++i)
    findings.push_back(finding(Severity::error, i, "e" + std::to_string(i)));
  const auto shown = select_annotations(findings, 2);
  ASSERT_EQ(shown.size(), 2u);
  EXPECT_EQ(shown[0].title, "e0");
  EXPECT_EQ(shown[1].message, "and 3 more, see the job summary: e1; e2; e3");
  EXPECT_TRUE(select_annotations(findings, 0).empty());
}

TEST(RankFindings, SeverityThenRankThenLargerWeight) {
  std::vector<Finding> findings = {
      finding(Severity::notice, 0, "n"),           finding(Severity::error, 1, "small", 0.06),
      finding(Severity::warning, 0, "w"),          finding(Severity::error, 1, "large", 0.30),
      finding(Severity::error, 0, "failed check"),
  };
  rank_findings(findings);
  std::vector<std::string> titles;
  for (const auto& f : findings) titles.push_back(f.title);
  EXPECT_EQ(titles, (std::vector<std::string>{"failed check", "large", "small", "w", "n"}));
}

TEST(RenderAnnotations, OneLinePerAnnotationEachParsedByTheRunner) {
  std::vector<Finding> findings = {
      {Severity::error, 0, 0, "Failed check", "crash:\nFatal Python error\n::error::x"},
      {Severity::notice, 0, 0, "No baseline", "key a,b: none"},
  };
  const std::string out = render_annotations(findings);
  EXPECT_EQ(out,
            "::error title=Failed check::crash:%0AFatal Python error%0A::error::x\n"
            "::notice title=No baseline::key a,b: none\n");
}

TEST(DefuseCommands, NoLineOfOutsideTextIsACommand) {
  const std::string text =
      "::error::x\n   ::add-mask::y\r\n\t::warning title=a::b\nok :: not at start\n"
      "text ##[error]v1 anywhere\n::";
  const std::string out = defuse_commands(text);
  EXPECT_EQ(out,
            ": :error::x\n   : :add-mask::y\r\n\t: :warning title=a::b\nok :: not at start\n"
            "text ## [error]v1 anywhere\n: :");
  std::size_t start = 0;
  while (start <= out.size()) {
    auto end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    const std::string line = out.substr(start, end - start);
    EXPECT_FALSE(runner_parse(line)) << line;
    EXPECT_EQ(line.find("##["), std::string::npos) << line;
    start = end + 1;
  }
  EXPECT_EQ(defuse_commands("plain text: a, b"), "plain text: a, b");
}

// The same corpus as the annotations (tests/js/escaping-corpus.json: %, CR, LF, "::", "##[",
// ESC), alone, after other text and after a line break: no line of the defused text is a
// command for the runner or an escape sequence for a terminal.
TEST(DefuseCommands, EscapingCorpusNeverYieldsACommandOrAnEscape) {
  const std::string corpus_text =
      test::read_file(test::data_dir().parent_path() / "js" / "escaping-corpus.json");
  const auto cases = boost::json::parse(corpus_text).as_object().at("cases").as_array();
  ASSERT_GE(cases.size(), 10u);
  for (const auto& entry : cases) {
    for (const auto* field : {"title", "message"}) {
      const std::string text(entry.as_object().at(field).as_string());
      for (const std::string& wrapped :
           {text, "gilguard: error: " + text, "x\n" + text, "x\r" + text, text + "\r" + text}) {
        const std::string out = defuse_commands(wrapped);
        EXPECT_EQ(test::unsafe_log_lines(out), std::vector<std::string>{}) << wrapped;
      }
    }
  }
}

TEST(DefuseCommands, ControlCharactersBecomeQuestionMarks) {
  EXPECT_EQ(defuse_commands("a\x1b[31mred\x1b[0m\a\x7f"), "a?[31mred?[0m??");
  // A bare CR would start a new line for the runner; CR LF and tabs stay.
  EXPECT_EQ(defuse_commands("ok\r::error::x\r\n::warning::y\tz"),
            "ok?::error::x\r\n: :warning::y\tz");
  // C1 controls in UTF-8 (U+009B is a one-character CSI); other non-ASCII text stays.
  EXPECT_EQ(defuse_commands("\xc2\x9b"
                            "31m \xc3\xbc \xe2\x9c\x85"),
            "?31m \xc3\xbc \xe2\x9c\x85");
  EXPECT_EQ(defuse_commands("100% done %0A"), "100% done %0A");
}

TEST(GuardCommands, WrapsTextInStopCommands) {
  EXPECT_EQ(guard_commands("::error::x\nplain", "tok123"),
            "::stop-commands::tok123\n::error::x\nplain\n::tok123::\n");
}

TEST(GuardCommands, ChangesATokenThatOccursInTheText) {
  const std::string out = guard_commands("text with ::tok:: inside", "tok");
  EXPECT_EQ(out.rfind("::stop-commands::tok-x\n", 0), 0u) << out;
  EXPECT_NE(out.find("\n::tok-x::\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace gilguard::report
