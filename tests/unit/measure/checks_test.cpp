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
  mark_wrong_results(samples, *workload::make_workload({}), 100);  // 25 primes below 100
  EXPECT_TRUE(check_samples(samples, std::nullopt).empty());
}

TEST(Checks, WrongCountFailsTheSampleAndTheRun) {
  std::vector<Sample> samples{good(Flavor::ft, 2, 1), good(Flavor::ft, 2, 2),
                              good(Flavor::ft, 2, 3)};
  samples[1].count_par = 24;
  samples[2].count_seq = 26;
  mark_wrong_results(samples, *workload::make_workload({}), 100);  // 25 primes below 100
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
  mark_wrong_results(samples, *workload::make_workload(workload::parse_workload("builtin:objects")),
                     0);
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

// A sized child that ran out of time is told what its user can do: no --range was given, so the
// advice is not "a smaller --range".
TEST(Checks, ATimeoutWhileSizingTheRangeAdvisesWhatTheUserCanDo) {
  std::vector<Sample> samples{good(Flavor::ft, 2, 0)};
  samples[0].ok = false;
  samples[0].failure =
      "timed out after 60.1 s while it sized the range (no --range was given) and was killed "
      "with its process group; last lines of stderr:\ngilguard-harness: sized the range to 100 "
      "indices (0.5 s per call)";
  const auto failures = check_samples(samples, std::nullopt);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, "timeout");
  EXPECT_EQ(failures[0].message.find("try a smaller --range"), std::string::npos)
      << failures[0].message;
  EXPECT_NE(failures[0].message.find(
                "No --range was given, so this child sized it: it called the function on 1, 2, "
                "4, ... indices until one pass took 0.25 s, then measured at that range (100 "
                "indices at least) before its timeout. One call takes too long for that"),
            std::string::npos)
      << failures[0].message;
  EXPECT_NE(failures[0].message.find("pass --range (from 100), which gives every child of the "
                                     "warm-up 600 s"),
            std::string::npos)
      << failures[0].message;
}

// A report that fits in its child: a sequential region, the threads and the processes twice each
// (the reference's order), workers no longer than their regions, and less CPU than the child's.
Sample honest() {
  Sample s = good(Flavor::ft, 2, 1);
  s.t_seq = 1.0;
  s.t_par = 0.5;
  s.thread_times = {0.5, 0.49};
  s.t_ref = 0.55;
  s.ref_times = {0.55, 0.54};
  s.wall_seconds = 1.0 + 2 * 0.5 + 2 * 0.55 + 0.3;  // and 0.3 s of start-up and warm-up
  s.seq_load = RegionLoad{};
  s.seq_load->workers_cpu = 1.0;
  s.par_load = RegionLoad{};
  s.par_load->workers_cpu = 2.0;
  s.ref_load = RegionLoad{};
  s.ref_load->workers_cpu = 2.2;
  s.child_cpu_seconds = 5.6;
  return s;
}

TEST(ReportContradiction, AReportThatFitsInItsChildPasses) {
  EXPECT_EQ(report_contradiction(honest(), 1), std::nullopt);
  // Off by less than the slack: the rounding of sums and means.
  Sample s = honest();
  s.wall_seconds = 3.1 - k_report_wall_slack / 2;
  s.child_cpu_seconds = 5.2 - k_report_cpu_slack / 2;
  EXPECT_EQ(report_contradiction(s, 1), std::nullopt);
}

// The forgery of issue 21: a report of a second's work from a child that lived 0.3 s.
TEST(ReportContradiction, RegionsLongerThanTheChildLivedAreRejected) {
  Sample s = honest();
  s.wall_seconds = 0.3;
  EXPECT_EQ(report_contradiction(s, 1),
            "inconsistent report: its timed regions add up to 3.100 s (t_seq 1.000 s, 2 x t_par "
            "0.500 s, 2 x t_ref 0.550 s), but the child ran 0.300 s from start to exit");
  // Each region fits, their sum does not.
  s.wall_seconds = 2.5;
  EXPECT_NE(report_contradiction(s, 1), std::nullopt);
  // Without the reference each region runs once, or `repeats` times.
  s.t_ref = 0;
  s.ref_times.clear();
  s.ref_load.reset();
  EXPECT_EQ(report_contradiction(s, 1), std::nullopt);
  EXPECT_EQ(report_contradiction(s, 2),
            "inconsistent report: its timed regions add up to 3.000 s (2 x t_seq 1.000 s, 2 x "
            "t_par 0.500 s), but the child ran 2.500 s from start to exit");
}

TEST(ReportContradiction, AWorkerLongerThanItsRegionIsRejected) {
  Sample s = honest();
  s.thread_times[1] = 0.6;
  EXPECT_EQ(report_contradiction(s, 1),
            "inconsistent report: thread worker 2 took 0.600 s, longer than its region's 0.500 s");
  s = honest();
  s.ref_times[0] = 0.7;
  EXPECT_EQ(report_contradiction(s, 1),
            "inconsistent report: process worker 1 took 0.700 s, longer than its region's 0.550 s");
}

TEST(ReportContradiction, WorkersCannotUseMoreCpuThanTheWholeChild) {
  Sample s = honest();
  s.child_cpu_seconds = 4.0;
  EXPECT_EQ(report_contradiction(s, 1),
            "inconsistent report: its workers used 5.200 CPU-seconds, but the whole child used "
            "4.000 (its threads and the processes it waited for)");
}

// A results file from before issue 21 (no child CPU time), a fake (no wall time) or a child whose
// clocks could not be read: the rule that needs the missing measurement is skipped.
TEST(ReportContradiction, ARuleWithoutItsMeasurementIsSkipped) {
  Sample s = honest();
  s.wall_seconds = 0;
  s.child_cpu_seconds.reset();
  s.t_seq = 100;
  EXPECT_EQ(report_contradiction(s, 1), std::nullopt);
  s = honest();
  s.par_load->workers_cpu.reset();
  s.child_cpu_seconds = 3.3;
  EXPECT_EQ(report_contradiction(s, 1), std::nullopt);  // 1.0 + 2.2 of the regions known
}

TEST(Checks, AnInconsistentReportFailsItsSampleAsItsOwnKind) {
  std::vector<Sample> samples{honest(), honest()};
  samples[1].wall_seconds = 0.3;
  mark_inconsistent_reports(samples, 1);
  EXPECT_TRUE(samples[0].ok);
  EXPECT_FALSE(samples[1].ok);
  const auto failures = check_samples(samples, std::nullopt);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, "inconsistent-report");
  EXPECT_NE(failures[0].message.find("ft interpreter, 2 threads: report rejected in 1 of 2 runs"),
            std::string::npos)
      << failures[0].message;
  EXPECT_NE(failures[0].message.find("docs/security.md, \"Forged results\""), std::string::npos)
      << failures[0].message;
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

// The --import probes' total limit: the modules it left out are named, with what to do.
TEST(CheckImports, ModulesLeftOutByTheTimeLimitAreNamed) {
  const auto failure =
      imports_over_time({"slow_b", "slow_c"}, std::chrono::seconds(300), std::chrono::seconds(120));
  EXPECT_EQ(failure.kind, "import-time-limit");
  EXPECT_EQ(failure.message,
            "--import: the import probes used up their 300 s in all (at most 120 s a module, "
            "each in a fresh process) before 'slow_b' and 'slow_c' could be probed, so they were "
            "not checked. Pass fewer modules to --import (the extension modules whose GIL "
            "matters), or find what makes an import slow with python -X importtime -c 'import "
            "MODULE' in the free-threaded interpreter.");
}

}  // namespace
}  // namespace gilguard::measure
