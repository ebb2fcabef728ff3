// `gilguard imports`: the import check alone, on installed distributions of a venv of the
// free-threaded interpreter under test. Each distribution is installed as pip leaves one (its
// files in site-packages, a NAME-VERSION.dist-info with METADATA and RECORD), its extension
// modules compiled here against the interpreter's headers (test::build_extension): ggclean's
// declare Py_mod_gil = Py_MOD_GIL_NOT_USED; ggdirty ships one that does not. Beside its modules
// ggclean ships what must not count as one: a vendored library in a folder that is no package
// name, a shared library without a PyInit_ function, and Python files.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <sstream>

#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;

struct Fixture {
  test::TempDir dir;
  fs::path gil;
  fs::path ft;
  test::Venv venv;
  // The compiled modules of each distribution, as the test installed them.
  std::vector<std::string> clean_modules;
  std::vector<std::string> dirty_modules;
};

class ImportsCommand : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto interpreters = test::find_test_interpreters();
    if (!interpreters) return;
    auto fx = std::make_unique<Fixture>();
    fx->gil = interpreters->gil;
    fx->ft = interpreters->ft;
    const auto root = fx->dir.path();
    fx->venv = test::make_venv(fx->ft, root / "venv");
    const auto fast = test::build_extension(fx->ft, "_fast", true, root / "build-fast");
    const auto inner = test::build_extension(fx->ft, "_inner", true, root / "build-inner");
    const auto init = test::build_extension(fx->ft, "ggclean", true, root / "build-init");
    const auto slow = test::build_extension(fx->ft, "_slow", false, root / "build-slow");
    // A shared library with the suffix but without the module's init function.
    test::write_file(root / "libhelper.so", "not an extension module: no init function here\n");
    const auto suffix = fast.filename().string().substr(std::string("_fast").size());

    test::install_distribution(fx->venv, "ggclean",
                               {{"ggclean/__init__" + suffix, init},
                                {"ggclean/_fast" + suffix, fast},
                                {"ggclean/sub/_inner" + suffix, inner},
                                {"ggclean.libs/libvendored" + suffix, fast},
                                {"ggclean/lib/libhelper.so", root / "libhelper.so"}},
                               {{"ggclean/sub/__init__.py", ""}, {"ggclean/pure.py", "X = 1\n"}});
    fx->clean_modules = {"ggclean", "ggclean._fast", "ggclean.sub._inner"};
    test::install_distribution(fx->venv, "ggdirty",
                               {{"ggdirty/_fast" + suffix, fast}, {"ggdirty/_slow" + suffix, slow}},
                               {{"ggdirty/__init__.py", ""}});
    fx->dirty_modules = {"ggdirty._fast", "ggdirty._slow"};
    s_fixture = std::move(fx);
  }

  static void TearDownTestSuite() { s_fixture.reset(); }

  void SetUp() override {
    if (!s_fixture) SKIP_WITHOUT_INTERPRETERS();
  }

  const Fixture& fx() const { return *s_fixture; }

  // `gilguard imports ARGS`, outside GitHub Actions unless `actions`: then with its output and
  // summary files in the test's directory.
  util::ProcessResult imports(std::vector<std::string> args, bool actions = false) {
    std::vector<std::string> argv{test::gilguard_binary().string(), "imports"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto env = util::current_environment();
    env.erase("GITHUB_ACTIONS");
    env.erase("PYTHON_GIL");
    if (actions) {
      env["GITHUB_ACTIONS"] = "true";
      env["GITHUB_OUTPUT"] = (m_dir.path() / "output").string();
      env["GITHUB_STEP_SUMMARY"] = (m_dir.path() / "summary.md").string();
      test::write_file(m_dir.path() / "output", "");
      test::write_file(m_dir.path() / "summary.md", "");
    }
    util::ProcessOptions options;
    options.timeout = std::chrono::minutes(3);
    auto result = util::run_process(argv, env, options);
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : util::ProcessResult{};
  }

  // The step outputs written in the heredoc form "name<<DELIM ... DELIM".
  std::map<std::string, std::string> outputs() const {
    std::map<std::string, std::string> out;
    std::istringstream lines(test::read_file(m_dir.path() / "output"));
    std::string line;
    while (std::getline(lines, line)) {
      const auto heredoc = line.find("<<");
      if (heredoc == std::string::npos) continue;
      const std::string delimiter = line.substr(heredoc + 2);
      std::string value, next;
      while (std::getline(lines, next) && next != delimiter)
        value += (value.empty() ? "" : "\n") + next;
      out[line.substr(0, heredoc)] = value;
    }
    return out;
  }

  test::TempDir m_dir;

 private:
  static inline std::unique_ptr<Fixture> s_fixture;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The report line of `module` in `text` ("  ok    MODULE   OUTCOME") as "ok: OUTCOME", or "" when
// there is none.
std::string line_for(const std::string& text, const std::string& module) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string status, name;
    words >> status >> name;
    if (name != module || (status != "ok" && status != "FAIL")) continue;
    std::string rest;
    std::getline(words >> std::ws, rest);
    return status + ": " + rest;
  }
  return "";
}

std::string lines_of(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "\n") + item;
  return out;
}

// The modules found are exactly the distribution's compiled modules (its __init__ extension
// named after the package), not its vendored or plain libraries, nor its Python files.
TEST_F(ImportsCommand, TheDiscoveredModulesAreTheDistributionsCompiledModules) {
  const auto result = imports({"--ft", fx().venv.python.string(), "--distribution", "ggclean"},
                              /*actions=*/true);
  EXPECT_EQ(result.exit_code, 0) << result.stdout_text << result.stderr_text;
  const auto out = outputs();
  ASSERT_TRUE(out.contains("modules")) << test::read_file(m_dir.path() / "output");
  EXPECT_EQ(out.at("modules"), lines_of(fx().clean_modules));
  EXPECT_EQ(out.at("verdict"), "pass");
  EXPECT_EQ(out.at("failed-checks"), "0");
  for (const auto& module : fx().clean_modules)
    EXPECT_EQ(line_for(result.stdout_text, module), "ok: the GIL stays disabled")
        << result.stdout_text;
  EXPECT_FALSE(contains(result.stdout_text, "libhelper")) << result.stdout_text;
  EXPECT_FALSE(contains(result.stdout_text, "libvendored")) << result.stdout_text;
  EXPECT_FALSE(contains(result.stdout_text, "::error")) << result.stdout_text;
  const auto summary = test::read_file(m_dir.path() / "summary.md");
  EXPECT_TRUE(contains(summary, "ggclean 1.0")) << summary;
  EXPECT_TRUE(contains(summary, "`ggclean.sub._inner`")) << summary;
}

// An extension that does not declare Py_mod_gil fails the check in seconds, named in the line
// for it, the failed check and the annotation; the distribution's other module passes.
TEST_F(ImportsCommand, AnExtensionWithoutModGilFailsInSecondsNamingTheModule) {
  const auto started = std::chrono::steady_clock::now();
  const auto result = imports({"--ft", fx().venv.python.string(), "--distribution", "ggdirty"},
                              /*actions=*/true);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(result.exit_code, 1) << result.stdout_text << result.stderr_text;
  EXPECT_LT(took.count(), 30.0);
  const auto& text = result.stdout_text;
  EXPECT_EQ(line_for(text, "ggdirty._fast"), "ok: the GIL stays disabled") << text;
  EXPECT_TRUE(contains(text,
                       "FAIL  ggdirty._slow  importing it enabled the GIL: needed by "
                       "'ggdirty._slow'"))
      << text;
  EXPECT_TRUE(contains(text, "module 'ggdirty._slow' has not declared free-threading support"))
      << text;
  EXPECT_TRUE(contains(text, "::error title=Failed check%3A import-gil::")) << text;
  const auto out = outputs();
  EXPECT_EQ(out.at("verdict"), "failed-check");
  EXPECT_EQ(out.at("failed-checks"), "1");
  EXPECT_EQ(out.at("modules"), lines_of(fx().dirty_modules));
}

TEST_F(ImportsCommand, AnUnknownDistributionIsAUsageErrorNamingItAndTheInterpreter) {
  const auto result =
      imports({"--ft", fx().venv.python.string(), "--distribution", "no-such-distribution"});
  EXPECT_EQ(result.exit_code, 2) << result.stderr_text;
  EXPECT_TRUE(contains(result.stderr_text,
                       "--distribution no-such-distribution: no distribution "
                       "of that name is installed in the free-threaded "
                       "interpreter " +
                           fx().venv.python.string()))
      << result.stderr_text;
}

// --import alone, and a module that does not import: a failed check naming it.
TEST_F(ImportsCommand, ImportedModulesAreCheckedAndAMissingOneFails) {
  const auto result =
      imports({"--ft", fx().venv.python.string(), "--import", "ggclean._fast,ggclean.missing"});
  EXPECT_EQ(result.exit_code, 1) << result.stdout_text << result.stderr_text;
  EXPECT_TRUE(contains(result.stdout_text, "ok    ggclean._fast")) << result.stdout_text;
  EXPECT_TRUE(contains(result.stdout_text, "FAIL  ggclean.missing  the import failed"))
      << result.stdout_text;
  EXPECT_TRUE(contains(result.stdout_text, "failed check (import-failed)")) << result.stdout_text;
}

// A build with the GIL given as --ft is a failed check, and nothing is imported.
TEST_F(ImportsCommand, AnInterpreterWithTheGilIsAFailedCheck) {
  const auto result = imports({"--ft", fx().gil.string(), "--import", "json"});
  EXPECT_EQ(result.exit_code, 1) << result.stdout_text << result.stderr_text;
  EXPECT_TRUE(contains(result.stdout_text, "failed check (wrong-flavor)")) << result.stdout_text;
  EXPECT_FALSE(contains(result.stdout_text, "  json  ")) << result.stdout_text;
}

}  // namespace
}  // namespace gilguard
