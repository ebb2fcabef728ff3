// --import and the GIL's culprits end to end, with real C extension modules compiled here
// (test::build_extension) against the free-threaded interpreter's headers: gg_clean declares
// Py_mod_gil = Py_MOD_GIL_NOT_USED, gg_needs_a and gg_needs_b do not. They are installed into
// venvs of the free-threaded build (the interpreter gilguard is given is the one the package is
// installed in) and loaded at start-up through a .pth file and through --import. What CPython
// itself does with them, version by version, is in cpython_version_test.cpp.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

// Built once for the suite: the three extension modules, and two venvs.
struct Fixture {
  test::TempDir dir;
  std::filesystem::path gil;
  std::filesystem::path ft;
  // gg_clean, gg_needs_a, gg_needs_b, gg_pair (a package importing both offenders) and
  // gg_marker (appends its pid to marker_file on import).
  test::Venv plain;
  // The same modules, plus a .pth file that imports both offenders at start-up.
  test::Venv startup;
  std::filesystem::path marker_file;
};

class Imports : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto interpreters = test::find_test_interpreters();
    if (!interpreters) return;
    auto fixture = std::make_unique<Fixture>();
    fixture->gil = interpreters->gil;
    fixture->ft = interpreters->ft;
    const auto root = fixture->dir.path();
    std::vector<std::filesystem::path> built;
    for (const auto& [name, declares] : {std::pair<std::string, bool>{"gg_clean", true},
                                         {"gg_needs_a", false},
                                         {"gg_needs_b", false}})
      built.push_back(test::build_extension(fixture->ft, name, declares, root / "build"));
    fixture->marker_file = root / "marker.txt";
    fixture->plain = test::make_venv(fixture->ft, root / "venv-plain");
    fixture->startup = test::make_venv(fixture->ft, root / "venv-startup");
    for (const auto* venv : {&fixture->plain, &fixture->startup}) {
      for (const auto& module : built)
        std::filesystem::copy_file(module, venv->site_packages / module.filename());
      test::write_file(venv->site_packages / "gg_pair" / "__init__.py",
                       "import gg_needs_a\nimport gg_needs_b\n");
      test::write_file(venv->site_packages / "gg_marker.py",
                       "import os\nwith open('" + fixture->marker_file.string() +
                           "', 'a') as f:\n    f.write('%d\\n' % os.getpid())\n");
    }
    test::write_file(fixture->startup.site_packages / "gg_startup.pth",
                     "import gg_needs_a, gg_needs_b\n");
    s_fixture = std::move(fixture);
  }

  static void TearDownTestSuite() { s_fixture.reset(); }

  void SetUp() override {
    if (!s_fixture) SKIP_WITHOUT_INTERPRETERS();
  }

  const Fixture& fx() const { return *s_fixture; }

  // `gilguard run` on a tiny range (one round), the GIL interpreter from the suite and `ft`.
  util::ProcessResult run(const std::filesystem::path& ft, std::vector<std::string> args,
                          util::Environment env = util::current_environment()) {
    const auto output = fx().dir.path() / "results.json";
    std::filesystem::remove(output);
    std::vector<std::string> argv{test::gilguard_binary().string(),
                                  "run",
                                  "--gil",
                                  fx().gil.string(),
                                  "--ft",
                                  ft.string(),
                                  "--range",
                                  "2000",
                                  "--threads",
                                  "1,2",
                                  "--rounds",
                                  "1",
                                  "--output",
                                  output.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    util::ProcessOptions options;
    options.timeout = std::chrono::minutes(5);
    auto result = util::run_process(argv, env, options);
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : util::ProcessResult{};
  }

  RunResult results() const {
    auto decoded =
        baseline::results_from_json_text(test::read_file(fx().dir.path() / "results.json"));
    EXPECT_TRUE(decoded) << decoded.error().message;
    return decoded ? *decoded : RunResult{};
  }

  static std::vector<std::string> kinds(const RunResult& run) {
    std::vector<std::string> out;
    for (const auto& failure : run.failures) out.push_back(failure.kind);
    return out;
  }

 private:
  static inline std::unique_ptr<Fixture> s_fixture;
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(Imports, BothOffendersAreNamedAndTheCleanModulePasses) {
  const auto result =
      run(fx().plain.python, {"--import", "gg_clean,gg_needs_a", "--import", "gg_needs_b"});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  const auto& err = result.stderr_text;
  EXPECT_TRUE(contains(err, "gilguard: --import gg_clean: the GIL stays disabled\n")) << err;
  EXPECT_TRUE(contains(err,
                       "--import gg_needs_a: importing it enabled the GIL: module "
                       "'gg_needs_a' has not declared free-threading support"))
      << err;
  EXPECT_TRUE(contains(err,
                       "--import gg_needs_b: importing it enabled the GIL: module "
                       "'gg_needs_b' has not declared free-threading support"))
      << err;
  const auto run_result = results();
  EXPECT_EQ(kinds(run_result), (std::vector<std::string>{"import-gil", "import-gil"}));
  ASSERT_EQ(run_result.imports.size(), 3u);
  EXPECT_EQ(run_result.imports[0].module, "gg_clean");
  EXPECT_TRUE(run_result.imports[0].imported);
  EXPECT_EQ(run_result.imports[0].gil_after, false);
  EXPECT_TRUE(run_result.samples.empty()) << "measured although an import failed its check";
}

// CPython warns only for the first module that needs the GIL; the -v lines name the second.
TEST_F(Imports, APackageLoadingTwoOffendersNamesBoth) {
  const auto result = run(fx().plain.python, {"--import", "gg_pair"});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_TRUE(contains(result.stderr_text,
                       "--import gg_pair: importing it enabled the GIL: modules 'gg_needs_a' and "
                       "'gg_needs_b' have not declared free-threading support"))
      << result.stderr_text;
}

// The report: the RuntimeWarning on the child's stderr names the module loaded by the
// .pth file (the check used to say "no warning named a module").
TEST_F(Imports, AModuleAPthFileLoadsAtStartUpIsNamedWithoutImport) {
  const auto result = run(fx().startup.python, {});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_TRUE(contains(result.stderr_text,
                       "it was re-enabled at start-up, before the workload ran: module "
                       "'gg_needs_a' has not declared free-threading support"))
      << result.stderr_text;
  EXPECT_FALSE(contains(result.stderr_text, "no warning named a module")) << result.stderr_text;
  EXPECT_EQ(kinds(results()), (std::vector<std::string>{"gil-enabled", "gil-enabled"}));
}

TEST_F(Imports, WithImportEveryModuleTheStartUpLoadedIsNamed) {
  const auto result = run(fx().startup.python, {"--import", "gg_clean"});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_TRUE(contains(result.stderr_text,
                       "the GIL was enabled at start-up, before gilguard imported anything: "
                       "modules 'gg_needs_a' and 'gg_needs_b' have not declared free-threading "
                       "support"))
      << result.stderr_text;
  EXPECT_EQ(kinds(results()), std::vector<std::string>{"gil-enabled"});
}

// A clean module stays imported in every free-threaded child during the measurement, and only
// there: gg_marker writes a line each time it is imported.
TEST_F(Imports, CleanModulesStayImportedInEveryFreeThreadedChild) {
  std::filesystem::remove(fx().marker_file);
  const auto result = run(fx().plain.python, {"--import", "gg_clean", "--import", "gg_marker"});
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  const auto run_result = results();
  EXPECT_TRUE(run_result.failures.empty());
  const auto ft_samples =
      std::count_if(run_result.samples.begin(), run_result.samples.end(),
                    [](const Sample& s) { return s.cell.flavor == Flavor::ft; });
  EXPECT_EQ(ft_samples, 4);  // threads 1 and 2, warm-up and one measured round
  // The process reference's workers fork from a zygote made before any import, so each imports
  // the modules itself: two process regions (A B B A) of T workers per child with T > 1.
  std::ptrdiff_t reference_workers = 0;
  for (const auto& sample : run_result.samples)
    if (sample.cell.flavor == Flavor::ft && sample.cell.threads > 1)
      reference_workers += 2 * sample.cell.threads;
  EXPECT_EQ(reference_workers, 8);  // two children at 2 threads, two regions of 2 workers each
  const auto lines = test::read_file(fx().marker_file);
  // Its own probe, then each free-threaded child and its reference workers; never a GIL child.
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 1 + ft_samples + reference_workers)
      << lines;
}

// Children run isolated: the package must be installed in the interpreter gilguard is given.
TEST_F(Imports, AModuleOnlyOnPythonpathIsNotSeenAndTheFailureSaysWhy) {
  const auto elsewhere = fx().dir.path() / "elsewhere";
  test::write_file(elsewhere / "gg_elsewhere.py", "x = 1\n");
  auto env = util::current_environment();
  env["PYTHONPATH"] = elsewhere.string();
  const auto result = run(fx().plain.python, {"--import", "gg_elsewhere"}, env);
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_TRUE(contains(result.stderr_text, "ModuleNotFoundError: No module named 'gg_elsewhere'"))
      << result.stderr_text;
  EXPECT_TRUE(contains(result.stderr_text, "PYTHONPATH and the user site-packages are not seen"));
  EXPECT_EQ(kinds(results()), std::vector<std::string>{"import-failed"});
}

TEST_F(Imports, PythonGilZeroHidesOffendersAndIsWarnedAbout) {
  auto env = util::current_environment();
  env["PYTHON_GIL"] = "0";
  const auto result = run(fx().plain.python, {"--import", "gg_needs_a"}, env);
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  EXPECT_TRUE(contains(result.stderr_text, "gilguard: warning: PYTHON_GIL=0 is set"))
      << result.stderr_text;
  EXPECT_TRUE(contains(result.stderr_text,
                       "gilguard: warning: sys.flags.gil is 0 in the free-threaded interpreter"))
      << result.stderr_text;
}

TEST_F(Imports, CheckTakesImportsToo) {
  const auto dir = fx().dir.path() / "check";
  std::filesystem::create_directories(dir);
  util::ProcessOptions options;
  options.timeout = std::chrono::minutes(5);
  options.working_directory = dir;
  const auto result = util::run_process(
      {test::gilguard_binary().string(), "check", "--gil", fx().gil.string(), "--ft",
       fx().plain.python.string(), "--import", "gg_clean, gg_needs_b", "--range", "2000",
       "--threads", "2", "--rounds", "1", "--baselines", (dir / "baselines").string()},
      util::current_environment(), options);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->exit_code, 1) << result->stderr_text;
  EXPECT_TRUE(contains(result->stdout_text, "--import gg_needs_b: importing it enabled the GIL"))
      << result->stdout_text;
}

}  // namespace
}  // namespace gilguard
