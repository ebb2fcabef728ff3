// The real binary against real CPython builds: probe tells the flavours apart, bad inputs to
// `gilguard build` and `gilguard probe` fail with exit 2 and advice, a cached build is reused.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <boost/json/parse.hpp>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "gilguard/baseline/facts_codec.hpp"
#include "gilguard/python/probe.hpp"
#include "gilguard/util/process.hpp"
#include "support/background_process.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;

util::ProcessResult run_gilguard(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {test::gilguard_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  util::ProcessOptions options;
  options.timeout = std::chrono::minutes(10);
  auto result = util::run_process(argv, util::current_environment(), options);
  if (!result) throw std::runtime_error(result.error().message);
  return *result;
}

void expect_usage_error(const util::ProcessResult& result, const std::string& needle) {
  EXPECT_EQ(result.exit_code, 2) << result.stderr_text;
  EXPECT_EQ(result.signal, 0);
  EXPECT_NE(result.stderr_text.find(needle), std::string::npos) << result.stderr_text;
  EXPECT_TRUE(result.stdout_text.empty()) << result.stdout_text;
}

TEST(ProbeRealInterpreters, TellsTheFlavoursApart) {
  REQUIRE_INTERPRETERS(interpreters);
  const auto result = run_gilguard({"probe", interpreters.gil.string(), interpreters.ft.string()});
  ASSERT_TRUE(result.success()) << result.describe() << "\n" << result.stderr_text;
  const auto json = boost::json::parse(result.stdout_text);
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.as_array().size(), 2u);
  const auto gil = baseline::facts_from_json(json.as_array()[0]);
  const auto ft = baseline::facts_from_json(json.as_array()[1]);
  ASSERT_TRUE(gil) << gil.error().message;
  ASSERT_TRUE(ft) << ft.error().message;

  EXPECT_EQ(gil->path, interpreters.gil.string());
  EXPECT_EQ(gil->implementation, "cpython");
  EXPECT_FALSE(gil->gil_disabled_build);
  EXPECT_EQ(gil->flavor(), Flavor::gil);
  EXPECT_TRUE(ft->gil_disabled_build);
  EXPECT_EQ(ft->flavor(), Flavor::ft);
  // The free-threaded build starts without the GIL; the standard one (3.13+) reports it on.
  ASSERT_TRUE(ft->gil_enabled_at_start.has_value());
  EXPECT_FALSE(*ft->gil_enabled_at_start);
  if (gil->gil_enabled_at_start) {
    EXPECT_TRUE(*gil->gil_enabled_at_start);
  }
  EXPECT_NE(ft->config_args.find("--disable-gil"), std::string::npos) << ft->config_args;
  EXPECT_EQ(gil->config_args.find("--disable-gil"), std::string::npos) << gil->config_args;
  EXPECT_EQ(gil->major_minor(), ft->major_minor());
  EXPECT_GE(gil->logical_cpus, 1);
  EXPECT_GE(gil->usable_cpus, 1);
  EXPECT_LE(gil->usable_cpus, gil->logical_cpus);
}

TEST(ProbeRealInterpreters, LibraryProbeAgreesWithTheCommand) {
  REQUIRE_INTERPRETERS(interpreters);
  const auto ft = python::probe(interpreters.ft);
  ASSERT_TRUE(ft) << ft.error().message;
  EXPECT_TRUE(ft->gil_disabled_build);
  EXPECT_TRUE(fs::equivalent(ft->executable, interpreters.ft));
}

TEST(ProbeCommand, MissingAndNonPythonPathsExitTwoWithAdvice) {
  test::TempDir dir;
  expect_usage_error(run_gilguard({"probe", (dir.path() / "python3.99").string()}),
                     "python3.99: no such file; pass the path of a CPython 3 interpreter");
  expect_usage_error(run_gilguard({"probe", "/bin/true"}),
                     "/bin/true: ran but printed no interpreter facts");
  expect_usage_error(run_gilguard({"probe"}), "python is required");
}

TEST(BuildCommand, MissingSourceExitsTwo) {
  test::TempDir dir;
  expect_usage_error(run_gilguard({"build", "--source", (dir.path() / "nope.tar.xz").string(),
                                   "--prefix", (dir.path() / "p").string()}),
                     "nope.tar.xz: no such file or directory; pass a CPython source tarball");
}

TEST(BuildCommand, CorruptTarballExitsTwoAndLeavesNothingBuilt) {
  test::TempDir dir;
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 251);
  test::write_file(dir.path() / "x.tar.xz", garbage);
  const auto result = run_gilguard({"build", "--source", (dir.path() / "x.tar.xz").string(),
                                    "--prefix", (dir.path() / "p").string(), "--flavor", "gil"});
  expect_usage_error(result, "cannot unpack --source " + (dir.path() / "x.tar.xz").string());
  EXPECT_NE(result.stderr_text.find("complete CPython source tarball"), std::string::npos);
  for (const auto& entry : fs::recursive_directory_iterator(dir.path() / "p"))
    EXPECT_NE(entry.path().filename(), "complete.json") << entry.path();
}

TEST(BuildCommand, DirectoryThatIsNotCPythonExitsTwo) {
  test::TempDir dir;
  test::write_file(dir.path() / "src" / "README", "not python\n");
  expect_usage_error(run_gilguard({"build", "--source", (dir.path() / "src").string(), "--prefix",
                                   (dir.path() / "p").string()}),
                     "is not a CPython source tree");
}

TEST(BuildCommand, UnknownFlavorExitsTwo) {
  test::TempDir dir;
  expect_usage_error(
      run_gilguard({"build", "--source", dir.path().string(), "--flavor", "nonsense"}),
      "--flavor nonsense: unknown flavour; pass --flavor gil");
}

TEST(BuildCommand, CachedBuildReturnsTheSamePaths) {
  const char* source = std::getenv("GILGUARD_TEST_CPYTHON_SOURCE");
  const char* prefix = std::getenv("GILGUARD_TEST_BUILD_PREFIX");
  if (source == nullptr || prefix == nullptr || *source == '\0' || *prefix == '\0') {
    if (std::getenv("CI") != nullptr)
      FAIL() << "GILGUARD_TEST_CPYTHON_SOURCE / GILGUARD_TEST_BUILD_PREFIX are not set under CI";
    GTEST_SKIP() << "set GILGUARD_TEST_CPYTHON_SOURCE and GILGUARD_TEST_BUILD_PREFIX (after "
                    "building there once) to run this";
  }
  const auto result =
      run_gilguard({"build", "--source", source, "--prefix", prefix, "--flavor", "both"});
  ASSERT_TRUE(result.success()) << result.describe() << "\n" << result.stderr_text;
  const auto json = boost::json::parse(result.stdout_text).as_object();
  EXPECT_TRUE(json.at("cache_hits").at("gil").as_bool()) << result.stdout_text;
  EXPECT_TRUE(json.at("cache_hits").at("ft").as_bool()) << result.stdout_text;
  const std::string gil(json.at("gil").as_string());
  const std::string ft(json.at("ft").as_string());
  EXPECT_TRUE(fs::path(gil).filename().string().starts_with("python3.")) << gil;
  EXPECT_FALSE(gil.ends_with("t")) << gil;
  EXPECT_TRUE(fs::path(ft).filename().string().starts_with("python3.")) << ft;
  EXPECT_TRUE(ft.ends_with("t")) << ft;
  if (const auto interpreters = test::find_test_interpreters()) {
    EXPECT_EQ(gil, interpreters->gil.string());
    EXPECT_EQ(ft, interpreters->ft.string());
  }
  // The same call again gives the same answer.
  const auto again =
      run_gilguard({"build", "--source", source, "--prefix", prefix, "--flavor", "both"});
  EXPECT_EQ(again.stdout_text, result.stdout_text);
}

// True once `pid` has ended: gone, or a zombie its new parent has not reaped yet.
bool has_ended(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] == 'Z';
}

// A terminal's Ctrl-C reaches gilguard's process group only; the build runs in a group of its
// own, so gilguard has to end it before dying of the same signal.
TEST(BuildCommand, InterruptEndsTheRunningBuildStep) {
  test::TempDir dir;
  const fs::path source = dir.path() / "src";
  const fs::path pid_file = dir.path() / "configure.pid";
  test::write_file(source / "Include" / "Python.h", "/* fake */\n");
  test::write_file(source / "configure", "#!/bin/sh\necho $$ > " + pid_file.string() + ".tmp\nmv " +
                                             pid_file.string() + ".tmp " + pid_file.string() +
                                             "\nexec sleep 300\n");
  fs::permissions(source / "configure", fs::perms::owner_all, fs::perm_options::add);

  test::BackgroundProcess gilguard(
      {test::gilguard_binary().string(), "build", "--source", source.string(), "--prefix",
       (dir.path() / "prefix").string(), "--flavor", "gil"},
      dir.path() / "gilguard.stderr");
  pid_t configure = 0;
  for (int i = 0; i < 600 && configure == 0; ++i) {
    std::ifstream in(pid_file);
    if (!(in >> configure)) configure = 0;
    if (configure == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GT(configure, 0) << "configure never started: "
                          << test::read_file(dir.path() / "gilguard.stderr");

  ASSERT_EQ(::kill(gilguard.pid(), SIGINT), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(gilguard.pid(), &status, 0), gilguard.pid());
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << "status " << status;

  bool ended = false;
  for (int i = 0; i < 100 && !ended; ++i) {
    ended = has_ended(configure);
    if (!ended) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(ended) << "configure (pid " << configure << ") outlived gilguard";
  if (!ended) ::kill(configure, SIGKILL);
  // Nothing looks finished: the next build starts again.
  for (const auto& entry : fs::directory_iterator(dir.path() / "prefix")) {
    EXPECT_FALSE(fs::exists(entry.path() / "complete.json")) << entry.path();
  }
}

}  // namespace
}  // namespace gilguard
