#include "gilguard/measure/checks.hpp"

#include <gtest/gtest.h>

namespace gilguard::measure {
namespace {

Sample good(Flavor flavor, int threads, int round) {
  Sample s;
  s.cell = {flavor, threads, true};
  s.round = round;
  s.ok = true;
  s.count_seq = s.count_par = 25;
  s.gil_enabled = flavor == Flavor::gil;
  return s;
}

constexpr const char* k_gil_warning =
    "The global interpreter lock (GIL) has been enabled to load module 'fastcodec._speedups', "
    "which has not declared that it can run safely without the GIL. To override this behavior "
    "and keep the GIL disabled (at your own risk), run with PYTHON_GIL=0 or -Xgil=0.";

TEST(Checks, CleanSamplesPass) {
  std::vector<Sample> samples{good(Flavor::gil, 1, 0), good(Flavor::ft, 2, 1)};
  mark_wrong_counts(samples, 25, 100);
  EXPECT_TRUE(check_samples(samples, std::nullopt).empty());
}

TEST(Checks, WrongCountFailsTheSampleAndTheRun) {
  std::vector<Sample> samples{good(Flavor::ft, 2, 1), good(Flavor::ft, 2, 2),
                              good(Flavor::ft, 2, 3)};
  samples[1].count_par = 24;
  samples[2].count_seq = 26;
  mark_wrong_counts(samples, 25, 100);
  EXPECT_TRUE(samples[0].ok);
  EXPECT_FALSE(samples[1].ok);
  EXPECT_EQ(samples[1].failure,
            "wrong prime count: sequential 25, threaded 24, but there are 25 primes below 100");
  const auto failures = check_samples(samples, std::nullopt);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, "wrong-count");
  EXPECT_NE(failures[0].message.find("ft interpreter, 2 threads: wrong result in 2 of 3 runs"),
            std::string::npos)
      << failures[0].message;
  EXPECT_NE(failures[0].message.find("threaded 24"), std::string::npos);
}

// A workload other than primes: its folded results must agree with each other, with the process
// reference when measured, and with a built-in's closed-form result when the sample has one.
TEST(Checks, WorkloadResultsMustAgreeWithEachOtherTheReferenceAndTheExpectation) {
  std::vector<Sample> samples;
  for (int round = 0; round < 5; ++round) samples.push_back(good(Flavor::ft, 2, round));
  samples[1].count_par = 24;  // threads disagree
  samples[2].t_ref = 0.5;     // processes disagree
  samples[2].count_ref = 26;
  samples[3].expected = 30;  // the built-in's closed form disagrees
  samples[4].t_ref = 0.5;    // all agree
  samples[4].count_ref = 25;
  samples[4].expected = 25;
  mark_wrong_results(samples, "builtin:objects");
  EXPECT_TRUE(samples[0].ok);
  EXPECT_FALSE(samples[1].ok);
  EXPECT_EQ(samples[1].failure,
            "wrong result of builtin:objects: folded results sequential 25, threaded 24");
  EXPECT_FALSE(samples[2].ok);
  EXPECT_EQ(samples[2].failure,
            "wrong result of builtin:objects: folded results sequential 25, threaded 25, in "
            "processes 26");
  EXPECT_FALSE(samples[3].ok);
  EXPECT_NE(samples[3].failure.find("expected 30"), std::string::npos) << samples[3].failure;
  EXPECT_TRUE(samples[4].ok) << samples[4].failure;
  const auto failures = check_samples(samples, std::nullopt);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, "wrong-result");
  EXPECT_NE(failures[0].message.find("ft interpreter, 2 threads: wrong result in 3 of 5 runs"),
            std::string::npos)
      << failures[0].message;
  EXPECT_NE(failures[0].message.find("data race"), std::string::npos) << failures[0].message;
}

TEST(Checks, CrashAndTimeoutAreTheirOwnKindsPerCell) {
  std::vector<Sample> samples{good(Flavor::gil, 1, 1), good(Flavor::gil, 2, 1),
                              good(Flavor::ft, 1, 1)};
  samples[0].ok = false;
  samples[0].failure = "the interpreter ended with killed by signal 11 (SIGSEGV); stderr was empty";
  samples[1].ok = false;
  samples[1].failure = "timed out after 60.0 s and was killed with its process group";
  const auto failures = check_samples(samples, std::nullopt);
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].kind, "crash");
  EXPECT_NE(failures[0].message.find("SIGSEGV"), std::string::npos);
  EXPECT_NE(failures[0].message.find("gil interpreter, 1 thread: child failed"), std::string::npos);
  EXPECT_EQ(failures[1].kind, "timeout");
  EXPECT_NE(failures[1].message.find("try a smaller --range"), std::string::npos);
}

TEST(Checks, GilEnabledInFreeThreadedNamesTheModule) {
  std::vector<Sample> samples{good(Flavor::ft, 1, 1), good(Flavor::ft, 1, 2)};
  for (auto& s : samples) {
    s.gil_enabled = true;
    s.warnings = {k_gil_warning};
  }
  EXPECT_EQ(module_reenabling_gil(samples[0].warnings), "fastcodec._speedups");
  const auto failures = check_samples(samples, std::nullopt);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, "gil-enabled");
  EXPECT_NE(failures[0].message.find("the GIL was enabled at run time in 2 of 2 runs"),
            std::string::npos)
      << failures[0].message;
  EXPECT_NE(failures[0].message.find("module 'fastcodec._speedups' re-enabled it"),
            std::string::npos);
}

TEST(Checks, AModuleLoadedAtStartUpIsNamedAsSuch) {
  std::vector<Sample> samples{good(Flavor::ft, 2, 1)};
  samples[0].gil_enabled = true;
  samples[0].warnings = {std::string(k_startup_warning_prefix) + k_gil_warning};
  const auto failures = check_samples(samples, std::nullopt);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].message,
            "ft interpreter, 2 threads: the GIL was enabled at run time in 1 of 1 runs (round 0 "
            "is the warm-up): it was re-enabled at start-up, before the workload ran: module "
            "'fastcodec._speedups' has not declared free-threading support (the Py_mod_gil "
            "slot). Use a version that declares it, or keep it out of start-up (site loaded it "
            "from a .pth file or sitecustomize in the interpreter's site-packages).");
}

TEST(Checks, GilEnabledBlamesPythonGilWhenNoModuleIsNamed) {
  std::vector<Sample> samples{good(Flavor::ft, 2, 1)};
  samples[0].gil_enabled = true;
  const auto failures = check_samples(samples, std::string("1"));
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_NE(failures[0].message.find("PYTHON_GIL=1 is set in gilguard's environment"),
            std::string::npos);
  EXPECT_FALSE(module_reenabling_gil({"DeprecationWarning: something else"}).has_value());
}

TEST(Checks, GilInterpreterWithoutGilIsTheWrongFlavour) {
  std::vector<Sample> samples{good(Flavor::gil, 1, 1)};
  samples[0].gil_enabled = false;
  const auto failures = check_samples(samples, std::nullopt);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, "wrong-flavor");
}

TEST(Checks, ProbeFactsOfSwappedInterpretersFail) {
  InterpreterFacts gil;
  gil.path = "/opt/py/bin/python3.13t";
  gil.version = "3.13.5";
  gil.gil_disabled_build = true;
  InterpreterFacts ft;
  ft.path = "/opt/py/bin/python3.13";
  ft.version = "3.13.5";
  const auto failures = check_interpreters(gil, ft);
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].message,
            "--gil /opt/py/bin/python3.13t (Python 3.13.5) is a free-threaded build "
            "(Py_GIL_DISABLED=1); pass a standard build with the GIL, such as python3.13");
  EXPECT_EQ(failures[1].message,
            "--ft /opt/py/bin/python3.13 (Python 3.13.5) is a build with the GIL "
            "(Py_GIL_DISABLED=0); pass a free-threaded build, such as python3.13t or one "
            "configured with --disable-gil");
  ft.gil_disabled_build = true;
  gil.gil_disabled_build = false;
  EXPECT_TRUE(check_interpreters(gil, ft).empty());
}

ImportCheck imported(std::string module, bool gil_before, bool gil_after,
                     std::vector<std::string> import_gil_modules = {}) {
  ImportCheck check;
  check.module = std::move(module);
  check.imported = true;
  check.gil_before = gil_before;
  check.gil_after = gil_after;
  check.import_gil_modules = std::move(import_gil_modules);
  return check;
}

TEST(CheckImports, CleanImportsPass) {
  EXPECT_TRUE(
      check_imports({imported("a", false, false), imported("b", false, false)}, "/ft").empty());
}

TEST(CheckImports, EveryOffenderIsNamedAndTheCleanOnePasses) {
  const auto failures = check_imports(
      {imported("gg_needs_a", false, true, {"gg_needs_a"}), imported("gg_clean", false, false),
       imported("pair", false, true, {"pair._a", "pair._b", "pair._c"})},
      "/venv/bin/python");
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].kind, "import-gil");
  EXPECT_EQ(failures[0].message,
            "--import gg_needs_a: importing it enabled the GIL: module 'gg_needs_a' has not "
            "declared free-threading support (the Py_mod_gil slot). Use a version that declares "
            "it, or do not import it in free-threaded code.");
  EXPECT_NE(failures[1].message.find("--import pair: importing it enabled the GIL: modules "
                                     "'pair._a', 'pair._b' and 'pair._c' have not declared "
                                     "free-threading support (the Py_mod_gil slot). Use "
                                     "versions that declare it, or do not import them"),
            std::string::npos)
      << failures[1].message;
}

TEST(CheckImports, AFailedImportShowsTheTracebackAndWhereToInstall) {
  ImportCheck check;
  check.module = "mypkg";
  check.error = "ModuleNotFoundError: No module named 'mypkg'";
  const auto failures = check_imports({check}, "/venv/bin/python");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, "import-failed");
  EXPECT_EQ(failures[0].message,
            "--import mypkg: importing it in /venv/bin/python failed:\n"
            "ModuleNotFoundError: No module named 'mypkg'\n"
            "Install 'mypkg' into that interpreter (for a venv, pass the venv's bin/python). "
            "gilguard's children run isolated (-I, with only PATH, HOME, LANG, LC_ALL, TMPDIR and "
            "PYTHON_GIL from the environment), so PYTHONPATH and the user site-packages are not "
            "seen.");
}

TEST(CheckImports, TheGilOnAtStartUpIsOneFailureNamingWhatSiteLoaded) {
  auto first = imported("a", true, true, {"a._ext"});
  first.startup_gil_modules = {"gg_pth"};
  auto second = imported("b", true, true);
  second.startup_gil_modules = {"gg_pth"};
  const auto failures = check_imports({first, second}, "/venv/bin/python");
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].kind, "gil-enabled");
  EXPECT_EQ(failures[0].message,
            "free-threaded interpreter /venv/bin/python: the GIL was enabled at start-up, before "
            "gilguard imported anything: module 'gg_pth' has not declared free-threading support "
            "(the Py_mod_gil slot). Use a version that declares it, or keep it out of start-up "
            "(site loaded it from a .pth file or sitecustomize in the interpreter's "
            "site-packages).");
  // 'a' still needs the GIL itself (the -v lines name it even with the GIL already on).
  EXPECT_EQ(failures[1].kind, "import-gil");
  EXPECT_NE(failures[1].message.find("--import a: importing it needs the GIL (already on at "
                                     "start-up): module 'a._ext'"),
            std::string::npos)
      << failures[1].message;
}

}  // namespace
}  // namespace gilguard::measure
