// What gilguard relies on in the CPython it measures, asked of the real builds under test
// (GILGUARD_TEST_PYTHON_GIL / _FT); scripts/test.sh runs it once per version, 3.13 and 3.14. A
// fact that is the same in both says so and where CPython keeps it; where the versions differ the
// test says which does what. A new CPython that changes one fails here, by name, before the
// end-to-end suites fail for a reason less plain.
//
// The modules are real C extensions built here (test::build_extension): gg_clean declares
// Py_mod_gil = Py_MOD_GIL_NOT_USED, gg_needs_a and gg_needs_b declare nothing.

#include <gtest/gtest.h>

#include <memory>

#include "gilguard/python/gil_messages.hpp"
#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;

// Built once for the suite.
struct Fixture {
  test::TempDir dir;
  test::Interpreters interpreters;
  int minor = 0;                    // 13 or 14: sys.version_info[1] of both interpreters
  int ft_minor = 0;                 // the free-threaded interpreter's, to compare
  fs::path ft_modules;              // gg_clean, gg_needs_a, gg_needs_b for the free-threaded build
  fs::path gil_modules;             // gg_clean, gg_needs_a for the GIL build
  std::string filesystem_encoding;  // sys.getfilesystemencoding() under this environment
};

class CPythonVersion : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto interpreters = test::find_test_interpreters();
    if (!interpreters) return;
    auto fixture = std::make_unique<Fixture>();
    fixture->interpreters = *interpreters;
    const std::string minor = "import sys; print(sys.version_info[1])";
    fixture->minor = std::stoi(test::python_says(interpreters->gil, minor));
    fixture->ft_minor = std::stoi(test::python_says(interpreters->ft, minor));
    fixture->filesystem_encoding =
        test::python_says(interpreters->gil, "import sys; print(sys.getfilesystemencoding())");
    fixture->ft_modules = fixture->dir.path() / "ft";
    fixture->gil_modules = fixture->dir.path() / "gil";
    for (const auto& [name, declares] : {std::pair<std::string, bool>{"gg_clean", true},
                                         {"gg_needs_a", false},
                                         {"gg_needs_b", false}})
      test::build_extension(interpreters->ft, name, declares, fixture->ft_modules);
    test::build_extension(interpreters->gil, "gg_clean", true, fixture->gil_modules);
    test::build_extension(interpreters->gil, "gg_needs_a", false, fixture->gil_modules);
    s_fixture = std::move(fixture);
  }

  static void TearDownTestSuite() { s_fixture.reset(); }

  void SetUp() override {
    if (!s_fixture) SKIP_WITHOUT_INTERPRETERS();
  }

  const Fixture& fx() const { return *s_fixture; }

  // `python -I [flags] -c CODE` after putting `modules` first on sys.path; fails the test when
  // the interpreter does not exit 0.
  static util::ProcessResult python(const fs::path& python, const fs::path& modules,
                                    const std::string& code,
                                    const std::vector<std::string>& flags = {}) {
    std::vector<std::string> argv = {python.string(), "-I"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), {"-c", "import sys; sys.path.insert(0, " + quoted(modules.string()) +
                                       "); " + code});
    util::ProcessOptions options;
    options.timeout = std::chrono::minutes(2);
    auto result = util::run_process(argv, util::current_environment(), options);
    EXPECT_TRUE(result && result->success())
        << (result ? result->describe() + "\n" + result->stderr_text : result.error().message);
    return result ? *result : util::ProcessResult{};
  }

  // The free-threaded interpreter importing `imports` (comma-separated), then printing
  // sys._is_gil_enabled().
  static util::ProcessResult ft_imports(const std::string& imports,
                                        const std::vector<std::string>& flags = {}) {
    return python(s_fixture->interpreters.ft, s_fixture->ft_modules,
                  "import " + imports + "; print(sys._is_gil_enabled())", flags);
  }

  static std::string quoted(const std::string& text) { return "'" + text + "'"; }

 private:
  static inline std::unique_ptr<Fixture> s_fixture;
};

// The text of CPython's RuntimeWarning for `module`, after "RuntimeWarning: ". The same in 3.13.5
// and 3.14.7 (Python/import.c, _PyImport_CheckGILForModule).
std::string gil_warning(const std::string& module) {
  return "The global interpreter lock (GIL) has been enabled to load module '" + module +
         "', which has not declared that it can run safely without the GIL. To override this "
         "behavior and keep the GIL disabled (at your own risk), run with PYTHON_GIL=0 or "
         "-Xgil=0.";
}

std::vector<std::string> names(std::initializer_list<const char*> list) {
  return {list.begin(), list.end()};
}

// The expectations below are written for these versions; another one needs its own looked at.
TEST_F(CPythonVersion, BothInterpretersAreOneVersionThisSuiteKnows) {
  EXPECT_EQ(fx().minor, fx().ft_minor) << "the GIL and free-threaded interpreters differ";
  EXPECT_TRUE(fx().minor == 13 || fx().minor == 14)
      << "CPython 3." << fx().minor << ": check this suite's expectations for it and add it";
  RecordProperty("cpython", "3." + std::to_string(fx().minor));
}

// probe and the children read sys._is_gil_enabled() (3.13+) and sys.flags.gil, which is None
// on a free-threaded build left to decide and the -X gil value when set; on a GIL build it is
// always 1 (Python/sysmodule.c). The same in 3.13 and 3.14.
TEST_F(CPythonVersion, IsGilEnabledAndTheGilFlagTellTheBuildsApart) {
  const std::string code = "print(sys._is_gil_enabled(), sys.flags.gil)";
  EXPECT_EQ(python(fx().interpreters.gil, fx().gil_modules, code).stdout_text, "True 1\n");
  EXPECT_EQ(python(fx().interpreters.ft, fx().ft_modules, code).stdout_text, "False None\n");
  EXPECT_EQ(python(fx().interpreters.ft, fx().ft_modules, code, {"-X", "gil=1"}).stdout_text,
            "True 1\n");
  EXPECT_EQ(python(fx().interpreters.ft, fx().ft_modules, code, {"-X", "gil=0"}).stdout_text,
            "False 0\n");
}

// A module without the Py_mod_gil slot turns the GIL on, with a RuntimeWarning and, under -v,
// the line "# loading module '...', which requires the GIL": the texts gil_messages parses.
// Run with -q -v as the --import probe runs (-q: no version banner; it says "experimental
// free-threading build" in 3.13 and "free-threading build" in 3.14, and is no -v line).
TEST_F(CPythonVersion, AModuleWithoutTheSlotTurnsTheGilOnInTheWordsGilguardParses) {
  const auto verbose = ft_imports("gg_needs_a", {"-q", "-v"});
  EXPECT_EQ(verbose.stdout_text, "True\n");
  const auto warnings = python::gil_warnings_in_stderr(verbose.stderr_text);
  ASSERT_EQ(warnings, std::vector<std::string>{gil_warning("gg_needs_a")}) << verbose.stderr_text;
  EXPECT_EQ(python::module_in_gil_warning(warnings[0]), "gg_needs_a");
  EXPECT_EQ(python::verbose_gil_modules(verbose.stderr_text), names({"gg_needs_a"}))
      << verbose.stderr_text;

  // Without -v the warning alone; and every line -v added (the import system's and site's) is
  // one without_verbose_lines drops, so a failed --import check shows what the import printed.
  const auto quiet = ft_imports("gg_needs_a");
  EXPECT_EQ(quiet.stdout_text, "True\n");
  EXPECT_EQ(python::gil_warnings_in_stderr(quiet.stderr_text), warnings);
  EXPECT_TRUE(python::verbose_gil_modules(quiet.stderr_text).empty()) << quiet.stderr_text;
  EXPECT_EQ(python::without_verbose_lines(verbose.stderr_text), quiet.stderr_text);
}

// The warning comes once, for the module that turned the GIL on (_PyEval_EnableGILPermanent
// reports only that change, Python/ceval_gil.c); -v names every module that needs it. The same in
// 3.13 and 3.14.
TEST_F(CPythonVersion, OnlyTheFirstModuleIsWarnedAboutAndVerboseNamesEach) {
  const auto both = ft_imports("gg_needs_a, gg_needs_b", {"-v"});
  EXPECT_EQ(both.stdout_text, "True\n");
  EXPECT_EQ(python::gil_warnings_in_stderr(both.stderr_text),
            std::vector<std::string>{gil_warning("gg_needs_a")})
      << both.stderr_text;
  EXPECT_EQ(python::verbose_gil_modules(both.stderr_text), names({"gg_needs_a", "gg_needs_b"}))
      << both.stderr_text;
}

TEST_F(CPythonVersion, APyModGilNotUsedSlotKeepsTheGilOff) {
  const auto clean = ft_imports("gg_clean", {"-v"});
  EXPECT_EQ(clean.stdout_text, "False\n");
  EXPECT_TRUE(python::gil_warnings_in_stderr(clean.stderr_text).empty()) << clean.stderr_text;
  EXPECT_TRUE(python::verbose_gil_modules(clean.stderr_text).empty()) << clean.stderr_text;
  EXPECT_EQ(
      python(fx().interpreters.ft, fx().ft_modules, "import gg_clean; print(gg_clean.answer())")
          .stdout_text,
      "42\n");
}

// -X gil=0 (PYTHON_GIL=0) keeps the GIL off and CPython silent about the module: why gilguard
// warns that it cannot name modules then.
TEST_F(CPythonVersion, AGilSetByFlagHidesTheModule) {
  const auto hidden = ft_imports("gg_needs_a", {"-v", "-X", "gil=0"});
  EXPECT_EQ(hidden.stdout_text, "False\n");
  EXPECT_TRUE(python::gil_warnings_in_stderr(hidden.stderr_text).empty()) << hidden.stderr_text;
  EXPECT_TRUE(python::verbose_gil_modules(hidden.stderr_text).empty()) << hidden.stderr_text;
}

// The slot is read by the GIL build too (Py_mod_gil exists in every 3.13+ build) and changes
// nothing there: no warning, the GIL on.
TEST_F(CPythonVersion, TheGilBuildLoadsBothModulesSilently) {
  const auto loaded = python(fx().interpreters.gil, fx().gil_modules,
                             "import gg_needs_a, gg_clean; print(sys._is_gil_enabled())", {"-v"});
  EXPECT_EQ(loaded.stdout_text, "True\n");
  EXPECT_TRUE(python::gil_warnings_in_stderr(loaded.stderr_text).empty()) << loaded.stderr_text;
  EXPECT_TRUE(python::verbose_gil_modules(loaded.stderr_text).empty()) << loaded.stderr_text;
}

// The free-threaded build's names carry a "t": the executable python3.Xt (make install also
// links python3.X to it), ABI flag and extension suffix, and its venvs' lib/python3.Xt. A venv
// gets python, python3 and python3.X, plus the base executable's own name, so python3.Xt only in
// a free-threaded one (Lib/venv). gilguard's build cache looks for python3.Xt and
// test::make_venv asks sysconfig for purelib. 3.14 only: venvs also get "𝜋thon" (Lib/venv adds
// it for 3.14 when the filesystem encoding is UTF-8); 3.13 has no such name.
TEST_F(CPythonVersion, TheFreeThreadedNamesCarryAT) {
  const std::string x = "3." + std::to_string(fx().minor);
  const std::string names_code =
      "import os, sysconfig; print(os.path.basename(os.path.realpath(sys.executable)), "
      "repr(sys.abiflags), sysconfig.get_config_var('SOABI').split('-')[1])";
  const auto ft = python(fx().interpreters.ft, fx().ft_modules, names_code).stdout_text;
  const auto gil = python(fx().interpreters.gil, fx().gil_modules, names_code).stdout_text;
  const std::string digits = "3" + std::to_string(fx().minor);
  EXPECT_EQ(ft, "python" + x + "t 't' " + digits + "t\n");
  EXPECT_EQ(gil, "python" + x + " '' " + digits + "\n");

  const bool pi_thon = fx().minor == 14 && fx().filesystem_encoding == "utf-8";
  for (const bool free_threaded : {true, false}) {
    const auto& base = free_threaded ? fx().interpreters.ft : fx().interpreters.gil;
    const std::string t = free_threaded ? "t" : "";
    const fs::path dir = fx().dir.path() / ("venv" + t);
    const auto venv = test::make_venv(base, dir);
    SCOPED_TRACE(dir.string());
    EXPECT_EQ(venv.site_packages, dir / "lib" / ("python" + x + t) / "site-packages");
    for (const std::string& name : std::vector<std::string>{"python", "python3", "python" + x})
      EXPECT_TRUE(fs::exists(dir / "bin" / name)) << name;
    EXPECT_EQ(fs::exists(dir / "bin" / ("python" + x + "t")), free_threaded);
    EXPECT_EQ(fs::exists(dir / "bin" / "\xF0\x9D\x9C\x8Bthon"), pi_thon)
        << "3." << fx().minor << ", filesystem encoding " << fx().filesystem_encoding;
    EXPECT_EQ(test::python_says(venv.python,
                                "import sys; print(sys.prefix != sys.base_prefix, "
                                "bool(__import__('sysconfig').get_config_var('Py_GIL_DISABLED')))"),
              std::string("True ") + (free_threaded ? "True" : "False"));
  }
}

}  // namespace
}  // namespace gilguard
