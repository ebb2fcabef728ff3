#include "gilguard/python/probe.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/test_util.hpp"

namespace gilguard::python {
namespace {

using namespace std::chrono_literals;

std::filesystem::path make_script(const std::filesystem::path& path, const std::string& body) {
  test::write_file(path, "#!/bin/sh\n" + body);
  ::chmod(path.c_str(), 0755);
  return path;
}

std::string probe_error(const std::filesystem::path& path, std::chrono::milliseconds timeout) {
  const auto result = probe(path, timeout);
  EXPECT_FALSE(result) << "probe of " << path << " unexpectedly succeeded";
  return result ? "" : result.error().message;
}

TEST(Probe, MissingPathSaysWhatToDo) {
  test::TempDir dir;
  const auto message = probe_error(dir.path() / "python3.99", 5s);
  EXPECT_NE(message.find((dir.path() / "python3.99").string() + ": no such file"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("gilguard build --source"), std::string::npos) << message;
}

TEST(Probe, DirectoryAndNonExecutableAreRejected) {
  test::TempDir dir;
  EXPECT_NE(probe_error(dir.path(), 5s).find("is a directory"), std::string::npos);
  test::write_file(dir.path() / "plain", "not a program");
  EXPECT_NE(probe_error(dir.path() / "plain", 5s).find("is not executable"), std::string::npos);
}

TEST(Probe, ScriptThatIsNotPythonIsRejected) {
  test::TempDir dir;
  const auto script = make_script(dir.path() / "fake-python", "echo 'Python 3.13.5'\n");
  const auto message = probe_error(script, 5s);
  EXPECT_NE(message.find(script.string() + ": ran but printed no interpreter facts"),
            std::string::npos)
      << message;
}

TEST(Probe, FailingScriptShowsItsExitStatusAndStderr) {
  test::TempDir dir;
  const auto script =
      make_script(dir.path() / "broken", "echo 'no module named encodings' >&2\nexit 3\n");
  const auto message = probe_error(script, 5s);
  EXPECT_NE(message.find("exit status 3"), std::string::npos) << message;
  EXPECT_NE(message.find("no module named encodings"), std::string::npos) << message;
}

TEST(Probe, HangingInterpreterIsKilledAfterTheTimeout) {
  test::TempDir dir;
  const auto script = make_script(dir.path() / "hangs", "sleep 30\n");
  const auto started = std::chrono::steady_clock::now();
  const auto message = probe_error(script, 300ms);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_NE(message.find(script.string() + ": did not report its facts within 0.3 s"),
            std::string::npos)
      << message;
}

TEST(Probe, MalformedFactsAreReportedNotTrusted) {
  test::TempDir dir;
  const auto script = make_script(dir.path() / "liar", "echo 'GILGUARD-FACTS {\"path\": 1}'\n");
  const auto message = probe_error(script, 5s);
  EXPECT_NE(message.find("printed facts gilguard cannot read"), std::string::npos) << message;
}

TEST(Probe, FactsFromAFakeInterpreterAreParsed) {
  // A stand-in that answers like the real snippet would; checks the isolated-mode flag too.
  test::TempDir dir;
  const auto script = make_script(
      dir.path() / "python3.13t",
      "[ \"$1\" = -I ] || exit 9\n"
      "echo 'noise from a sitecustomize'\n"
      "echo 'GILGUARD-FACTS {\"path\": \"x\", \"executable\": \"/x\", \"version\": \"3.13.5\", "
      "\"implementation\": \"cpython\", \"py_gil_disabled\": true, \"gil_enabled_at_start\": "
      "false, \"config_args\": \"\", \"platform\": \"linux-x86_64\", \"logical_cpus\": 8, "
      "\"usable_cpus\": 3}'\n");
  const auto facts = probe(script, 5s);
  ASSERT_TRUE(facts) << facts.error().message;
  EXPECT_EQ(facts->flavor(), Flavor::ft);
  EXPECT_EQ(facts->usable_cpus, 3);
  EXPECT_EQ(facts->major_minor(), "3.13");
}

}  // namespace
}  // namespace gilguard::python
