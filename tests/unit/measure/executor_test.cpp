#include "gilguard/measure/executor.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "gilguard/measure/checks.hpp"
#include "gilguard/workload/harness.hpp"
#include "gilguard/workload/prelude.hpp"
#include "gilguard/workload/primes.hpp"
#include "support/test_util.hpp"

namespace gilguard::measure {
namespace {

// Writes an executable /bin/sh script standing in for a Python interpreter. The workload's
// arguments arrive as $1=-I $2=-c $3=SCRIPT $4=RANGE $5=THREADS $6=SEQ_FIRST $7=REFERENCE; its
// report channel is descriptor 3 (>&3). Its times are a fraction of a millisecond, within what
// such a child lives.
std::filesystem::path fake_python(const std::filesystem::path& dir, const std::string& name,
                                  const std::string& body) {
  const auto path = dir / name;
  test::write_file(path, "#!/bin/sh\n" + body + "\n");
  ::chmod(path.c_str(), 0755);
  return path;
}

constexpr const char* k_report =
    R"(printf '{"range": %s, "threads": %s, "seq_first": true, "count_seq": 25, )"
    R"("count_par": 25, "t_seq": 0.0005, "t_par": 0.00025, "thread_times": [0.00025, 0.0002], )"
    R"("gil_enabled": false, "warnings": ["w"]}\n' "$4" "$5" >&3)";

ChildRequest request(std::int64_t range = 100, int threads = 2) {
  return {range, threads, true, std::chrono::milliseconds(20'000)};
}

TEST(ChildEnvironment, KeepsOnlyTheAllowList) {
  const util::Environment parent{{"PATH", "/usr/bin"},
                                 {"HOME", "/home/u"},
                                 {"LANG", "C.UTF-8"},
                                 {"GITHUB_TOKEN", "ghp_secret"},
                                 {"ACTIONS_RUNTIME_TOKEN", "x"},
                                 {"AWS_SECRET_ACCESS_KEY", "y"},
                                 {"PYTHONPATH", "/evil"},
                                 {"PYTHON_GIL", "0"}};
  const auto env = child_environment(parent);
  EXPECT_EQ(
      env,
      (util::Environment{
          {"HOME", "/home/u"}, {"LANG", "C.UTF-8"}, {"PATH", "/usr/bin"}, {"PYTHON_GIL", "0"}}));
}

TEST(ChildArgv, IsolatedModeAndGilOverrideForFreeThreadedOnly) {
  ChildRequest r{1000, 4, false, {}};
  const auto ft = child_argv("/py/ft", Flavor::ft, r, std::string("1"));
  ASSERT_EQ(ft.size(), 11u);
  EXPECT_EQ(ft[0], "/py/ft");
  EXPECT_EQ(ft[1], "-I");
  EXPECT_EQ(ft[2], "-X");
  EXPECT_EQ(ft[3], "gil=1");
  EXPECT_EQ(ft[4], "-c");
  EXPECT_EQ(ft[5], workload::prime_script());
  EXPECT_EQ(ft[6], "1000");
  EXPECT_EQ(ft[7], "4");
  EXPECT_EQ(ft[8], "0");
  EXPECT_EQ(ft[9], "0");   // no process reference
  EXPECT_EQ(ft[10], "1");  // one sequential/threaded pair
  r.reference = true;
  r.repeats = 5;
  const auto again = child_argv("/py/ft", Flavor::ft, r, std::nullopt);
  EXPECT_EQ(again[again.size() - 2], "1");
  EXPECT_EQ(again.back(), "5");
  const auto gil = child_argv("/py/gil", Flavor::gil, r, std::string("1"));
  EXPECT_EQ(gil.size(), 9u);
  EXPECT_EQ(gil[2], "-c");
}

TEST(ChildArgv, ImportsFollowTheWorkloadArguments) {
  const ChildRequest r{1000, 2, true, {}};
  const auto argv = child_argv("/py/ft", Flavor::ft, r, std::nullopt, {"numpy", "pkg.mod"});
  ASSERT_EQ(argv.size(), 11u);
  EXPECT_EQ(argv[7], "0");  // REFERENCE
  EXPECT_EQ(argv[8], "1");  // REPEATS
  EXPECT_EQ(argv[9], "numpy");
  EXPECT_EQ(argv[10], "pkg.mod");
}

constexpr const char* k_startup_warning =
    "The global interpreter lock (GIL) has been enabled to load module 'gg_needs_a', which has "
    "not declared that it can run safely without the GIL. To override this behavior and keep "
    "the GIL disabled (at your own risk), run with PYTHON_GIL=0 or -Xgil=0.";

TEST(StartupWarnings, OnlyGilWarningsOnStderrAreTaggedAsStartUp) {
  EXPECT_EQ(startup_warnings(std::string("<string>:1: RuntimeWarning: ") + k_startup_warning +
                             "\nsomething else\n"),
            std::vector<std::string>{std::string(k_startup_warning_prefix) + k_startup_warning});
  EXPECT_TRUE(startup_warnings("x.py:1: UserWarning: hello\n").empty());
}

// The warning CPython printed while site ran a .pth file reaches the sample, so the check can
// name the module (before, the report said "no warning named a module").
TEST(ProcessExecutor, AGilWarningPrintedAtStartUpIsRecordedBeforeTheWorkloadsOwn) {
  test::TempDir dir;
  const auto python = fake_python(dir.path(), "python",
                                  std::string("echo \"<string>:1: RuntimeWarning: ") +
                                      k_startup_warning + "\" >&2\n" + k_report);
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  const auto sample = executor.execute({Flavor::ft, 2, true}, request());
  ASSERT_TRUE(sample.ok) << sample.failure;
  ASSERT_EQ(sample.warnings.size(), 2u);
  EXPECT_EQ(sample.warnings[0], std::string(k_startup_warning_prefix) + k_startup_warning);
  EXPECT_EQ(sample.warnings[1], "w");
}

TEST(ProcessExecutor, OnlyFreeThreadedChildrenGetTheImports) {
  test::TempDir dir;
  const auto args = dir.path() / "args.txt";
  // $9 is the first argument after REFERENCE and REPEATS: the first module.
  const auto python = fake_python(dir.path(), "python",
                                  "echo \"$# ${9:-none}\" >> '" + args.string() + "'\n" + k_report);
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  executor.import_in_ft_children({"gg_clean", "pkg.mod"});
  ASSERT_TRUE(executor.execute({Flavor::ft, 2, true}, request()).ok);
  ASSERT_TRUE(executor.execute({Flavor::gil, 2, true}, request()).ok);
  EXPECT_EQ(test::read_file(args), "10 gg_clean\n8 none\n");
}

TEST(ProcessExecutor, AMissingReferenceFailsTheSample) {
  test::TempDir dir;
  const auto python = fake_python(dir.path(), "python", k_report);
  ProcessExecutor executor(python, python, util::current_environment());
  ChildRequest asked = request();
  asked.reference = true;
  const auto sample = executor.execute({Flavor::ft, 2, true}, asked);
  EXPECT_FALSE(sample.ok);
  EXPECT_NE(sample.failure.find("no process reference"), std::string::npos) << sample.failure;
  EXPECT_TRUE(executor.execute({Flavor::ft, 2, true}, request()).ok);
}

TEST(ProcessExecutor, SecretsInGilguardsEnvironmentNeverReachTheChild) {
  test::TempDir dir;
  const auto dump = dir.path() / "env.txt";
  const auto python =
      fake_python(dir.path(), "python", "env > '" + dump.string() + "'\n" + k_report);
  ::setenv("GITHUB_TOKEN", "ghp_fake_secret_for_the_test", 1);
  ::setenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "another_fake_secret", 1);
  ProcessExecutor executor(python, python, util::current_environment());
  const auto sample = executor.execute({Flavor::ft, 2, true}, request());
  ::unsetenv("GITHUB_TOKEN");
  ::unsetenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  ASSERT_TRUE(sample.ok) << sample.failure;
  const auto env = test::read_file(dump);
  EXPECT_EQ(env.find("ghp_fake_secret_for_the_test"), std::string::npos) << env;
  EXPECT_EQ(env.find("GITHUB_TOKEN"), std::string::npos) << env;
  EXPECT_EQ(env.find("another_fake_secret"), std::string::npos) << env;
  EXPECT_NE(env.find("PATH="), std::string::npos) << env;
  EXPECT_EQ(executor.environment().count("GITHUB_TOKEN"), 0u);
}

TEST(ProcessExecutor, ReadsTheReportLine) {
  test::TempDir dir;
  const auto python = fake_python(dir.path(), "python", std::string("echo noise\n") + k_report);
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  const auto sample = executor.execute({Flavor::gil, 2, true}, request(100, 2));
  ASSERT_TRUE(sample.ok) << sample.failure;
  EXPECT_EQ(sample.count_seq, 25);
  EXPECT_DOUBLE_EQ(sample.speedup(), 2.0);
  EXPECT_EQ(sample.thread_times, (std::vector<double>{0.00025, 0.0002}));
  EXPECT_EQ(sample.gil_enabled, false);
  EXPECT_EQ(sample.warnings, std::vector<std::string>{"w"});
  EXPECT_GT(sample.wall_seconds, 0);
}

// The report comes on its own channel: a line on stdout, however well formed, is the workload's
// output, not a report (issue 21: an atexit hook printed one and it was taken).
TEST(ProcessExecutor, AReportOnStdoutIsNotTaken) {
  test::TempDir dir;
  std::string on_stdout = k_report;
  on_stdout.erase(on_stdout.rfind(" >&3"));
  const auto python = fake_python(dir.path(), "python", on_stdout);
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  const auto sample = executor.execute({Flavor::gil, 2, true}, request(100, 2));
  EXPECT_FALSE(sample.ok);
  EXPECT_TRUE(sample.failure.starts_with(
      "the child's report could not be read (the child wrote no report); stderr was empty; last "
      "lines of its stdout (the workload's output):\n{\"range\": 100, \"threads\": 2,"))
      << sample.failure;
}

// The child learns the channel's number from GILGUARD_REPORT_FD (and only the benchmark's
// children: the variable is set per child, not in the environment the import probes share).
TEST(ProcessExecutor, TheChildIsToldWhereItsReportChannelIs) {
  test::TempDir dir;
  const auto dump = dir.path() / "env.txt";
  const auto python =
      fake_python(dir.path(), "python", "env > '" + dump.string() + "'\n" + k_report);
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  ASSERT_TRUE(executor.execute({Flavor::ft, 2, true}, request()).ok);
  EXPECT_NE(test::read_file(dump).find("GILGUARD_REPORT_FD=3\n"), std::string::npos);
  EXPECT_EQ(executor.environment().count("GILGUARD_REPORT_FD"), 0u);
}

// gilguard's harness writes one report; a second one on the channel means something else wrote
// there.
TEST(ProcessExecutor, TwoReportsOnTheChannelAreRejected) {
  test::TempDir dir;
  const auto python = fake_python(dir.path(), "python", std::string(k_report) + "\n" + k_report);
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  const auto sample = executor.execute({Flavor::ft, 2, true}, request());
  EXPECT_FALSE(sample.ok);
  EXPECT_EQ(sample.failure,
            "inconsistent report: the child wrote 2 reports where gilguard's harness writes one, "
            "so something else in it (the workload, a module it imports, a .pth file) wrote to "
            "its report channel");
  EXPECT_EQ(check_samples({sample}, std::nullopt).at(0).kind, "inconsistent-report");
}

// A report of a second's work from a child that lived milliseconds: the times are held against
// the child's wall time, which gilguard measured itself; its CPU time is recorded too.
TEST(ProcessExecutor, AReportLongerThanItsChildIsRejected) {
  test::TempDir dir;
  const auto python =
      fake_python(dir.path(), "python",
                  R"(echo '{"range": 100, "threads": 2, "seq_first": true, "count_seq": 25, )"
                  R"("count_par": 25, "t_seq": 1.0, "t_par": 0.5, "thread_times": [0.5, 0.5], )"
                  R"("gil_enabled": false, "warnings": []}' >&3)");
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  const auto sample = executor.execute({Flavor::ft, 2, true}, request());
  EXPECT_FALSE(sample.ok);
  EXPECT_TRUE(
      sample.failure.starts_with("inconsistent report: its timed regions add up to 1.500 "
                                 "s (t_seq 1.000 s, t_par 0.500 s), but the child ran "))
      << sample.failure;
  ASSERT_TRUE(sample.child_cpu_seconds.has_value());
  EXPECT_GE(*sample.child_cpu_seconds, 0);
}

// A function that warns on every call: the child lists the first few distinct warnings and
// counts them all; gilguard keeps no more than that of whatever a report lists, each cut short.
TEST(ProcessExecutor, AReportKeepsTheFirstDistinctWarningsAndTheirCount) {
  test::TempDir dir;
  std::string warnings = "\"" + std::string(5000, 'x') + "\"";
  for (int i = 1; i < 30; ++i) warnings += ", \"w" + std::to_string(i) + "\"";
  test::write_file(dir.path() / "report.json",
                   R"({"range": 100, "threads": 2, "seq_first": true, "count_seq": 25, )"
                   R"("count_par": 25, "t_seq": 0.0005, "t_par": 0.00025, )"
                   R"("thread_times": [0.00025, 0.0002], "gil_enabled": false, )"
                   R"("distinct_warnings": 4000, "warnings": [)" +
                       warnings + "]}\n");
  const auto python =
      fake_python(dir.path(), "python", "cat '" + (dir.path() / "report.json").string() + "' >&3");
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  const auto sample = executor.execute({Flavor::ft, 2, true}, request());
  ASSERT_TRUE(sample.ok) << sample.failure;
  EXPECT_EQ(sample.distinct_warnings, 4000);
  ASSERT_EQ(sample.warnings.size(), workload::k_max_reported_warnings);
  EXPECT_EQ(sample.warnings[0], std::string(1000, 'x'));
  EXPECT_EQ(sample.warnings[1], "w1");
}

TEST(ProcessExecutor, ACrashIsAFailedSampleWithSignalAndStderr) {
  test::TempDir dir;
  const auto python = fake_python(dir.path(), "python",
                                  "echo 'Fatal Python error: Segmentation fault' >&2\n"
                                  "kill -SEGV $$");
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  const auto sample = executor.execute({Flavor::ft, 2, true}, request());
  EXPECT_FALSE(sample.ok);
  EXPECT_FALSE(is_timeout(sample));
  EXPECT_NE(sample.failure.find("SIGSEGV"), std::string::npos) << sample.failure;
  EXPECT_NE(sample.failure.find("Fatal Python error: Segmentation fault"), std::string::npos)
      << sample.failure;
}

TEST(ProcessExecutor, AHungChildIsKilledAtItsTimeout) {
  test::TempDir dir;
  const auto python = fake_python(dir.path(), "python", "sleep 30");
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  auto r = request();
  r.timeout = std::chrono::milliseconds(300);
  const auto sample = executor.execute({Flavor::gil, 1, true}, r);
  EXPECT_FALSE(sample.ok);
  EXPECT_TRUE(is_timeout(sample)) << sample.failure;
  EXPECT_LT(sample.wall_seconds, 10);
  EXPECT_EQ(sample.failure.find(k_sizing_note), std::string::npos) << sample.failure;
}

// A child asked to size the range (no --range) that runs out of time says so, so the advice can
// match what the user did.
TEST(ProcessExecutor, AChildThatTimesOutWhileSizingSaysSo) {
  test::TempDir dir;
  const auto python = fake_python(dir.path(), "python", "sleep 30");
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  executor.set_workload(workload::parse_workload("builtin:objects"));
  auto r = request(0, 2);
  r.timeout = std::chrono::milliseconds(300);
  const auto sample = executor.execute({Flavor::gil, 2, true}, r);
  EXPECT_TRUE(is_timeout(sample)) << sample.failure;
  EXPECT_NE(sample.failure.find("while it sized the range (no --range was given) and was killed"),
            std::string::npos)
      << sample.failure;
}

TEST(ProcessExecutor, GarbageOutputIsAFailedSample) {
  test::TempDir dir;
  const auto python = fake_python(dir.path(), "python", "echo 'not json'");
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  const auto sample = executor.execute({Flavor::gil, 1, true}, request());
  EXPECT_FALSE(sample.ok);
  EXPECT_NE(sample.failure.find("the child's report could not be read"), std::string::npos)
      << sample.failure;
}

TEST(ProcessExecutor, AReportForOtherParametersIsRejected) {
  test::TempDir dir;
  const auto python = fake_python(
      dir.path(), "python",
      R"(echo '{"range": 999, "threads": 1, "seq_first": true, "count_seq": 1, "count_par": 1, )"
      R"("t_seq": 1, "t_par": 1, "thread_times": [1], "gil_enabled": null, "warnings": []}' >&3)");
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  const auto sample = executor.execute({Flavor::gil, 2, true}, request(100, 2));
  EXPECT_FALSE(sample.ok);
  EXPECT_EQ(sample.failure,
            "the workload reported range 999 with 1 threads, but range 100 with 2 threads was "
            "asked for");
}

// A workload other than primes runs the harness: $4=SPEC $5=RANGE $6=THREADS $7=SEQ_FIRST
// $8=REFERENCE. Asked for range 0, the child sizes it, and the sample carries the size and the
// built-in's expected result.
TEST(ProcessExecutor, AWorkloadRunsTheHarnessAndReportsTheRangeItSized) {
  test::TempDir dir;
  const auto args = dir.path() / "args.txt";
  const auto python =
      fake_python(dir.path(), "python",
                  "echo \"$1 $2 $4 $5 $6 $7 $8 ${9:-none}\" >> '" + args.string() + "'\n" +
                      R"(echo '{"workload": "builtin:objects", "range": 4096, "threads": 2, )"
                      R"("seq_first": true, "count_seq": 77, "count_par": 77, "t_seq": 0.0003, )"
                      R"("t_par": 0.0002, "thread_times": [0.0002, 0.0002], "expected": 77, )"
                      R"("gil_enabled": false, "warnings": []}' >&3)");
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  executor.set_workload(workload::parse_workload("builtin:objects"));
  executor.import_in_ft_children({"mod"});
  const auto sample = executor.execute({Flavor::ft, 2, true}, request(0, 2));
  ASSERT_TRUE(sample.ok) << sample.failure;
  EXPECT_EQ(sample.sized_range, 4096);
  EXPECT_EQ(sample.expected, 77);
  EXPECT_EQ(sample.count_par, 77);
  EXPECT_DOUBLE_EQ(sample.speedup(), 1.5);
  // Asked for a range, the child must report that one.
  const auto other = executor.execute({Flavor::gil, 2, true}, request(100, 2));
  EXPECT_FALSE(other.ok);
  EXPECT_EQ(other.failure,
            "the workload reported range 4096 with 2 threads, but range 100 with 2 threads was "
            "asked for");
  EXPECT_EQ(test::read_file(args),
            "-I -c builtin:objects 0 2 1 0 mod\n-I -c builtin:objects 100 2 1 0 none\n");
}

TEST(ProcessExecutor, AnExceptionInTheWorkloadFailsTheSampleWithItsTraceback) {
  test::TempDir dir;
  const auto python = fake_python(dir.path(), "python",
                                  "echo 'Traceback (most recent call last):' >&2\n"
                                  "echo '  File \"/w/w.py\", line 2, in step' >&2\n"
                                  "echo 'ZeroDivisionError: division by zero' >&2\nexit 1");
  ProcessExecutor executor(python, python, {{"PATH", "/usr/bin:/bin"}});
  executor.set_workload(workload::parse_workload("/w/w.py:step"));
  const auto sample = executor.execute({Flavor::ft, 2, true}, request(0, 2));
  EXPECT_FALSE(sample.ok);
  EXPECT_EQ(sample.sized_range, 0);
  EXPECT_NE(sample.failure.find("exit"), std::string::npos) << sample.failure;
  EXPECT_NE(sample.failure.find("ZeroDivisionError: division by zero"), std::string::npos)
      << sample.failure;
}

TEST(WorkloadChildArgv, PrimesKeepTheirArgvAndOthersGetTheHarness) {
  ChildRequest r = request(5000, 2);
  r.reference = true;
  EXPECT_EQ(workload_child_argv("/py/ft", Flavor::ft, r, std::string("0"), {"m"},
                                workload::parse_workload("primes")),
            child_argv("/py/ft", Flavor::ft, r, std::string("0"), {"m"}));
  const auto spec = workload::parse_workload("builtin:generators");
  EXPECT_EQ(workload_child_argv("/py/ft", Flavor::ft, r, std::string("0"), {"m"}, spec),
            workload::harness_argv("/py/ft", spec, {5000, 2, true, true}, {"m"}, "0"));
  // The GIL build rejects -X gil=0: the override reaches free-threaded children only.
  EXPECT_EQ(workload_child_argv("/py/gil", Flavor::gil, r, std::string("0"), {}, spec),
            workload::harness_argv("/py/gil", spec, {5000, 2, true, true}));
}

TEST(ProcessExecutor, AMissingInterpreterIsAFailedSample) {
  test::TempDir dir;
  ProcessExecutor missing(dir.path() / "nope", dir.path() / "nope", {{"PATH", "/usr/bin"}});
  const auto sample = missing.execute({Flavor::gil, 1, true}, request());
  EXPECT_FALSE(sample.ok);
  EXPECT_FALSE(sample.failure.empty());
}

}  // namespace
}  // namespace gilguard::measure
