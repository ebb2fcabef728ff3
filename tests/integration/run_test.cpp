// `gilguard run` end to end: option validation, the real interpreters, the GIL check and the
// environment allow-list.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/util/process.hpp"
#include "gilguard/workload/primes.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

util::ProcessResult run_gilguard(const std::vector<std::string>& args,
                                 util::Environment env = util::current_environment()) {
  std::vector<std::string> argv{test::gilguard_binary().string(), "run"};
  argv.insert(argv.end(), args.begin(), args.end());
  util::ProcessOptions options;
  options.timeout = std::chrono::minutes(10);
  auto result = util::run_process(argv, env, options);
  EXPECT_TRUE(result) << result.error().message;
  return result ? *result : util::ProcessResult{};
}

RunResult read_results(const std::filesystem::path& path) {
  auto decoded = baseline::results_from_json_text(test::read_file(path));
  EXPECT_TRUE(decoded) << decoded.error().message;
  return decoded ? *decoded : RunResult{};
}

struct BadOption {
  std::vector<std::string> args;
  std::string message;
};

class RunBadOptions : public testing::TestWithParam<BadOption> {};

TEST_P(RunBadOptions, ExitTwoNamingTheOptionAndTheFix) {
  test::TempDir dir;
  auto args = GetParam().args;
  args.insert(args.end(), {"--gil", "python3", "--ft", "python3", "--output",
                           (dir.path() / "r.json").string()});
  const auto result = run_gilguard(args);
  EXPECT_EQ(result.exit_code, 2) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find(GetParam().message), std::string::npos) << result.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "r.json"));
}

INSTANTIATE_TEST_SUITE_P(
    Messages, RunBadOptions,
    testing::Values(
        BadOption{{"--threads", "0"},
                  "--threads 0: '0' is not a thread count from 1 to 256; pass a comma-separated "
                  "list such as --threads 1,2,4, or --threads auto"},
        BadOption{{"--threads", "1,,4"}, "--threads 1,,4: '' is not a thread count"},
        BadOption{{"--range", "1"},
                  "--range 1: pass a whole number from 100 to 100000000 (primes are counted in "
                  "[1, N); the default is 1000000)"},
        BadOption{{"--range", "lots"}, "--range lots: pass a whole number from 100 to"},
        BadOption{{"--rounds", "-3"},
                  "--rounds -3: pass a whole number of measured rounds from 1 to 10000 (the "
                  "default is 6)"},
        BadOption{{"--rounds", "three"}, "--rounds three: pass a whole number of measured"},
        BadOption{{"--time-budget", "soon"},
                  "--time-budget soon: pass a number of seconds greater than 0"},
        BadOption{{"--rounds", "3", "--time-budget", "60"},
                  "--rounds and --time-budget were both given: pass one of them"},
        BadOption{{"--seed", "-1"}, "--seed -1: pass a whole number from 0 to"},
        BadOption{{"--base-gil", "python3"},
                  "only --base-gil was given: an A/B run needs the base's pair, so pass both "
                  "--base-gil and --base-ft"},
        BadOption{{"--base-label", "x"}, "--base-label names the base of an A/B run"},
        BadOption{{"--repeats", "3"}, "use it in A/B runs only (with --base-gil and --base-ft)"},
        BadOption{{"--repeats", "0"}, "--repeats 0: pass a whole number from 1 to 1000"},
        BadOption{{"--workload", "builtin:nope"},
                  "--workload builtin:nope: there is no built-in workload 'nope'; pass one of "
                  "builtin:objects, builtin:methods"},
        BadOption{{"--workload", "quicksort"},
                  "--workload quicksort: pass primes, builtin:NAME (one of objects, methods"},
        BadOption{{"--workload", "/nonexistent/w.py:step"},
                  "cannot read /nonexistent/w.py: No such file or directory; check the path"},
        BadOption{{"--workload", "builtin:objects", "--range", "5"},
                  "--range 5: pass a whole number from 100 to 100000000 (the function of "
                  "--workload builtin:objects is called for every index in [0, N)), or leave it "
                  "out to size the range in the warm-up"}));

// --help lists the built-in workloads.
TEST(RunCommand, HelpListsTheBuiltinWorkloads) {
  const auto result = run_gilguard({"--help"});
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  for (const auto* name :
       {"--workload", "objects", "methods", "generators", "dict-mutation", "shared-reads"})
    EXPECT_NE(result.stdout_text.find(name), std::string::npos) << name << "\n"
                                                                << result.stdout_text;
}

// A built-in of the suite through `gilguard run`: every child runs the harness at the range
// given, every result agrees with the others and with the closed form, and the free-threaded
// cells with threads time the same chunks in forked processes (the same-machine reference).
TEST(RunCommand, ABuiltinWorkloadIsMeasuredWithItsReferenceAndChecked) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  const auto output = dir.path() / "results.json";
  const auto result = run_gilguard({"--gil", py.gil.string(), "--ft", py.ft.string(), "--workload",
                                    "builtin:objects", "--range", "3000", "--threads", "1,2",
                                    "--rounds", "2", "--output", output.string()});
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("Workload builtin:objects over indices [0, 3,000)"),
            std::string::npos)
      << result.stdout_text;
  const auto run = read_results(output);
  EXPECT_EQ(run.parameters.workload, "builtin:objects");
  EXPECT_EQ(run.parameters.range, 3000);
  EXPECT_FALSE(run.parameters.range_sized);
  EXPECT_FALSE(run.parameters.workload_digest.has_value());
  EXPECT_EQ(run.parameters.expected_count, 0);
  EXPECT_TRUE(run.failures.empty());
  ASSERT_EQ(run.samples.size(), 3u * 4u);
  for (const auto& s : run.samples) {
    ASSERT_TRUE(s.ok) << s.failure;
    ASSERT_TRUE(s.expected.has_value());
    EXPECT_EQ(s.count_seq, *s.expected);
    EXPECT_EQ(s.count_par, *s.expected);
    EXPECT_EQ(s.gil_enabled, s.cell.flavor == Flavor::gil);
    ASSERT_TRUE(s.seq_load.has_value() && s.par_load.has_value());
    if (s.cell.threads > 1 && s.cell.flavor == Flavor::ft) {
      EXPECT_GT(s.t_ref, 0);
      EXPECT_EQ(s.count_ref, s.count_seq);
      EXPECT_EQ(s.ref_times.size(), 2u);
      EXPECT_TRUE(s.ref_load.has_value());
    } else {
      EXPECT_EQ(s.t_ref, 0);
    }
  }
}

// Every timed worker warms up before its region (issue 19: a 3.14t thread starts on cold
// bytecode while a forked process inherits warm bytecode), and each region is timed by its
// workers, from the first start to the last end: never shorter than its slowest worker, as it
// was when the parent thread read the clock after waking from the barrier late.
TEST(RunCommand, EveryWorkerWarmsUpAndEachRegionIsTimedByItsWorkers) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  const auto output = dir.path() / "results.json";
  const auto result =
      run_gilguard({"--gil", py.gil.string(), "--ft", py.ft.string(), "--range", "30000",
                    "--threads", "1,2", "--rounds", "2", "--output", output.string()});
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text << result.stdout_text;
  EXPECT_NE(result.stdout_text.find("warm-up"), std::string::npos) << result.stdout_text;
  const auto run = read_results(output);
  ASSERT_EQ(run.samples.size(), 3u * 4u);
  for (const auto& s : run.samples) {
    ASSERT_TRUE(s.ok) << s.failure;
    EXPECT_EQ(s.thread_warm_up.size(), static_cast<std::size_t>(s.cell.threads));
    ASSERT_EQ(s.thread_times.size(), static_cast<std::size_t>(s.cell.threads));
    EXPECT_GE(s.t_par, *std::max_element(s.thread_times.begin(), s.thread_times.end()));
    if (s.cell.flavor == Flavor::ft && s.cell.threads > 1) {
      ASSERT_EQ(s.ref_times.size(), 2u);
      EXPECT_GE(s.t_ref, *std::max_element(s.ref_times.begin(), s.ref_times.end()));
    }
  }
  for (const auto& cell : run.summaries) EXPECT_TRUE(cell.thread_warm_up.has_value());
}

// Without --range the warm-up's first child sizes the range and every other child runs it.
TEST(RunCommand, AWorkloadWithoutRangeRunsTheRangeTheWarmUpSized) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  const auto output = dir.path() / "results.json";
  const auto result = run_gilguard({"--gil", py.gil.string(), "--ft", py.ft.string(), "--workload",
                                    "builtin:generators", "--threads", "1", "--rounds", "1",
                                    "--output", output.string()});
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text << result.stdout_text;
  const auto run = read_results(output);
  EXPECT_TRUE(run.parameters.range_sized);
  EXPECT_GE(run.parameters.range, 256);
  EXPECT_EQ(run.parameters.range % 256, 0);
  ASSERT_EQ(run.samples.size(), 2u * 2u);  // warm-up and 1 round, both flavours at 1 thread
  for (const auto& s : run.samples) {
    ASSERT_TRUE(s.ok) << s.failure;
    // Every child computed the closed form of the one range the warm-up sized.
    ASSERT_TRUE(s.expected.has_value());
    EXPECT_EQ(s.expected, run.samples.front().expected);
    EXPECT_EQ(s.count_seq, *s.expected);
  }
}

// A user function that raises: each child fails with the traceback's last lines, and the run
// reports the failed checks (exit 1) instead of a speedup.
TEST(RunCommand, AUserWorkloadThatRaisesIsAFailedCheckWithItsTraceback) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  test::write_file(dir.path() / "bad.py",
                   "def step(i):\n    if i == 700:\n        return i // (i - 700)\n    return i\n");
  const auto output = dir.path() / "results.json";
  const auto result =
      run_gilguard({"--gil", py.gil.string(), "--ft", py.ft.string(), "--workload",
                    (dir.path() / "bad.py").string() + ":step", "--range", "1000", "--threads",
                    "1,2", "--rounds", "1", "--output", output.string()});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text << result.stdout_text;
  EXPECT_NE(result.stderr_text.find("check failed: ft interpreter, 2 threads: child failed"),
            std::string::npos)
      << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("ZeroDivisionError"), std::string::npos) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("return i // (i - 700)"), std::string::npos)
      << result.stderr_text;
  const auto run = read_results(output);
  // Outside any repository and the current directory, the file is named by its real path.
  EXPECT_EQ(run.parameters.workload,
            "file:" + std::filesystem::canonical(dir.path() / "bad.py").generic_string() + ":step");
  ASSERT_TRUE(run.parameters.workload_digest.has_value());
  EXPECT_EQ(run.parameters.workload_digest->size(), 64u);
  ASSERT_FALSE(run.samples.empty());
  for (const auto& s : run.samples) EXPECT_FALSE(s.ok);
}

TEST(RunCommand, MeasuresBothInterpretersAndChecksEveryCount) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  const auto output = dir.path() / "results.json";
  const auto result = run_gilguard({"--gil", py.gil.string(), "--ft", py.ft.string(), "--range",
                                    "200000", "--threads", "1,2", "--rounds", "3", "--seed", "11",
                                    "--output", output.string()});
  ASSERT_EQ(result.exit_code, 0) << result.stderr_text << result.stdout_text;
  EXPECT_NE(result.stderr_text.find("round 3 of 3"), std::string::npos) << result.stderr_text;
  EXPECT_NE(result.stdout_text.find("free-threaded"), std::string::npos) << result.stdout_text;

  const auto run = read_results(output);
  EXPECT_EQ(run.parameters.seed, 11u);
  EXPECT_EQ(run.parameters.expected_count, workload::count_primes_below(200'000));
  EXPECT_TRUE(run.ft.gil_disabled_build);
  EXPECT_FALSE(run.gil.gil_disabled_build);
  ASSERT_EQ(run.samples.size(), 4u * 4u);
  double best_ft_speedup = 0;
  for (const auto& s : run.samples) {
    ASSERT_TRUE(s.ok) << s.failure;
    EXPECT_EQ(s.count_seq, run.parameters.expected_count);
    EXPECT_EQ(s.count_par, run.parameters.expected_count);
    EXPECT_EQ(s.thread_times.size(), static_cast<std::size_t>(s.cell.threads));
    ASSERT_TRUE(s.gil_enabled.has_value());
    EXPECT_EQ(*s.gil_enabled, s.cell.flavor == Flavor::gil);
    if (s.cell.flavor == Flavor::ft && s.cell.threads == 2 && s.round > 0)
      best_ft_speedup = std::max(best_ft_speedup, s.speedup());
    // The process reference: the same chunks in forked processes, in every free-threaded cell
    // with threads (the GIL cells' would only be information).
    if (s.cell.threads > 1 && s.cell.flavor == Flavor::ft) {
      EXPECT_GT(s.t_ref, 0);
      EXPECT_EQ(s.count_ref, run.parameters.expected_count);
      EXPECT_EQ(s.ref_times.size(), static_cast<std::size_t>(s.cell.threads));
      ASSERT_TRUE(s.ref_load.has_value());
      EXPECT_EQ(s.ref_load->workers, s.cell.threads);
    } else {
      EXPECT_EQ(s.t_ref, 0);
    }
    // Readings around the timed regions, from this Linux machine's /proc.
    ASSERT_TRUE(s.seq_load.has_value() && s.par_load.has_value());
    EXPECT_TRUE(s.par_load->wait.has_value());
    EXPECT_GT(s.par_load->wall, 0);
    EXPECT_GT(s.cpus, 0);
  }
  EXPECT_FALSE(run.machine.machine_id.empty());
  EXPECT_GT(run.machine.physical_cores, 0);
  // On a shared 2-CPU machine single rounds can be disturbed; the best of three must still
  // show two threads running at once.
  EXPECT_GT(best_ft_speedup, 1.0);
  ASSERT_EQ(run.summaries.size(), 4u);
  EXPECT_GT(run.ft_overhead, 0);
}

TEST(RunCommand, GilForcedOnInTheFreeThreadedBuildFailsTheCheck) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  const auto output = dir.path() / "results.json";
  auto env = util::current_environment();
  env["PYTHON_GIL"] = "1";
  const auto result =
      run_gilguard({"--gil", py.gil.string(), "--ft", py.ft.string(), "--range", "20000",
                    "--threads", "2", "--rounds", "1", "--output", output.string()},
                   env);
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("ft interpreter, 2 threads: the GIL was enabled at run time "
                                    "in 2 of 2 runs (round 0 is the warm-up): PYTHON_GIL=1 is "
                                    "set in gilguard's environment"),
            std::string::npos)
      << result.stderr_text;
  const auto run = read_results(output);
  ASSERT_EQ(run.failures.size(), 1u);
  EXPECT_EQ(run.failures[0].kind, "gil-enabled");
}

// `gilguard check` stops measuring once a check has failed: the verdict is already exit 1.
TEST(CheckCommand, AFailedCheckEndsTheTimeBudgetEarly) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  auto env = util::current_environment();
  env["PYTHON_GIL"] = "1";
  std::vector<std::string> argv{test::gilguard_binary().string(),
                                "check",
                                "--gil",
                                py.gil.string(),
                                "--ft",
                                py.ft.string(),
                                "--range",
                                "20000",
                                "--threads",
                                "2",
                                "--time-budget",
                                "120",
                                "--baselines",
                                (dir.path() / "baselines").string(),
                                "--results",
                                (dir.path() / "r.json").string(),
                                "--comparison",
                                (dir.path() / "c.json").string()};
  util::ProcessOptions options;
  options.timeout = std::chrono::minutes(5);
  options.working_directory = dir.path();
  const auto result = util::run_process(argv, env, options);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->exit_code, 1) << result->stderr_text;
  const auto run = read_results(dir.path() / "r.json");
  ASSERT_EQ(run.failures.size(), 1u);
  EXPECT_EQ(run.failures[0].kind, "gil-enabled");
  // Rounds of about 0.05 s: a 120 s budget would hold hundreds; the run ends at the first look.
  int measured = 0;
  for (const auto& sample : run.samples) measured = std::max(measured, sample.round);
  EXPECT_LE(measured, 6) << result->stderr_text;
  EXPECT_LT(result->wall_seconds, 60);
  // No advice to record a run whose checks failed as the baseline.
  EXPECT_EQ(result->stdout_text.find("To record this run as the baseline"), std::string::npos)
      << result->stdout_text;
}

TEST(RunCommand, SwappedInterpretersFailWithoutMeasuring) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  const auto output = dir.path() / "results.json";
  const auto result =
      run_gilguard({"--gil", py.ft.string(), "--ft", py.gil.string(), "--output", output.string()});
  EXPECT_EQ(result.exit_code, 1) << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("is a free-threaded build (Py_GIL_DISABLED=1); pass a "
                                    "standard build with the GIL"),
            std::string::npos)
      << result.stderr_text;
  EXPECT_NE(result.stderr_text.find("is a build with the GIL (Py_GIL_DISABLED=0)"),
            std::string::npos);
  EXPECT_TRUE(read_results(output).samples.empty());
}

TEST(RunCommand, ChildrenNeverSeeGilguardsSecrets) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  // Wrappers record the environment each child starts with, then become the real interpreter.
  auto wrap = [&](const std::filesystem::path& real, const std::string& name) {
    const auto path = dir.path() / name;
    test::write_file(path, "#!/bin/sh\nenv >> '" + (dir.path() / "env.txt").string() +
                               "'\necho ---- >> '" + (dir.path() / "env.txt").string() +
                               "'\nexec '" + real.string() + "' \"$@\"\n");
    ::chmod(path.c_str(), 0755);
    return path;
  };
  const auto gil = wrap(py.gil, "gil-python");
  const auto ft = wrap(py.ft, "ft-python");
  auto env = util::current_environment();
  env["GITHUB_TOKEN"] = "ghp_integration_fake_secret";
  env["ACTIONS_RUNTIME_TOKEN"] = "actions_fake_secret";
  env["PYTHONPATH"] = "/nonexistent/injected";
  const auto result =
      run_gilguard({"--gil", gil.string(), "--ft", ft.string(), "--range", "1000", "--threads", "1",
                    "--rounds", "1", "--output", (dir.path() / "r.json").string()},
                   env);
  EXPECT_EQ(result.exit_code, 0) << result.stderr_text;
  const auto seen = test::read_file(dir.path() / "env.txt");
  EXPECT_NE(seen.find("----"), std::string::npos);
  EXPECT_EQ(seen.find("ghp_integration_fake_secret"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("actions_fake_secret"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("PYTHONPATH"), std::string::npos) << seen;
}

}  // namespace
}  // namespace gilguard
