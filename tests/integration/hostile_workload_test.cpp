// Workloads that do what a hostile or careless pull request can (issue 21, items 2 and 5), run by
// the real binary on the real interpreters: a report forged on stdout or on the report channel
// itself, a function that warns on every call, a function too slow for the sizing's target, and
// --import modules that take too long to import.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/measure/run_benchmark.hpp"
#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;

// A report shaped like the harness's own (issue 21 reproduced it with this shape): 1 s
// sequential, a perfect split, counts that agree. `seconds` is the sequential time it claims.
constexpr const char* k_forged_report = R"PY(
import json
import sys


def forged_report(seconds=1.0):
    threads = int(sys.argv[3])
    report = {"range": int(sys.argv[2]), "threads": threads, "seq_first": True,
              "count_seq": 7, "count_par": 7, "t_seq": seconds, "t_par": seconds / threads,
              "thread_times": [seconds / threads] * threads, "cpus": 2,
              "gil_enabled": sys._is_gil_enabled(), "warnings": [], "background_by": []}
    if sys.argv[5] == "1":
        report.update(count_ref=7, t_ref=seconds / threads,
                      ref_times=[seconds / threads] * threads)
    return json.dumps(report) + "\n"
)PY";

class HostileWorkload : public testing::Test {
 protected:
  void SetUp() override {
    const auto found = test::find_test_interpreters();
    if (!found) {
      SKIP_WITHOUT_INTERPRETERS();
    }
    m_py = *found;
  }

  // `gilguard run` on `source` as workload.py (function `workload`) at both thread counts 1 and 2,
  // one measured round; `more` adds or overrides options (--range, --threads).
  util::ProcessResult run(const std::string& source,
                          std::vector<std::string> more = {"--range", "2000"}) {
    test::write_file(m_dir.path() / "workload.py", source);
    std::vector<std::string> argv{test::gilguard_binary().string(),
                                  "run",
                                  "--gil",
                                  m_py.gil.string(),
                                  "--ft",
                                  m_py.ft.string(),
                                  "--workload",
                                  "workload.py",
                                  "--rounds",
                                  "1",
                                  "--output",
                                  "results.json"};
    if (std::find(more.begin(), more.end(), "--threads") == more.end())
      argv.insert(argv.end(), {"--threads", "1,2"});
    argv.insert(argv.end(), more.begin(), more.end());
    util::ProcessOptions options;
    options.timeout = std::chrono::minutes(10);
    options.working_directory = m_dir.path();
    const util::Environment env{{"PATH", "/usr/bin:/bin"}, {"HOME", m_dir.path().string()}};
    auto result = util::run_process(argv, env, options);
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : util::ProcessResult{};
  }

  RunResult results() const {
    auto decoded = baseline::results_from_json_text(test::read_file(m_dir.path() / "results.json"));
    EXPECT_TRUE(decoded) << decoded.error().message;
    return decoded ? *decoded : RunResult{};
  }

  static std::vector<std::string> kinds(const RunResult& result) {
    std::vector<std::string> out;
    for (const auto& failure : result.failures) out.push_back(failure.kind);
    return out;
  }

  test::TempDir m_dir;
  test::Interpreters m_py;
};

// Issue 21, item 2, as reproduced: an atexit hook printed a made-up report line after the
// harness's own, and gilguard took it (1.000 s sequential, 2.00x at 2 threads, no failure). The
// report now comes on a channel of its own, so the line is the workload's output and the run
// measures the workload itself.
TEST_F(HostileWorkload, AReportAnAtexitHookPrintsOnStdoutIsNotTaken) {
  const auto run_result = this->run(std::string(k_forged_report) + R"PY(
import atexit


@atexit.register
def _forge():
    sys.stdout.write(forged_report())
    sys.stdout.flush()


def workload(i):
    return i * i % 7
)PY");
  ASSERT_EQ(run_result.exit_code, 0) << run_result.stdout_text << run_result.stderr_text;
  const auto result = results();
  ASSERT_FALSE(result.samples.empty());
  for (const auto& sample : result.samples) {
    ASSERT_TRUE(sample.ok) << sample.failure;
    EXPECT_NE(sample.t_seq, 1.0);
    EXPECT_NE(sample.count_seq, 7);
    EXPECT_LT(sample.t_seq, sample.wall_seconds);
  }
}

// Report-shaped lines printed on every call, and a torn one left last on stdout: the workload's
// output, read by no one.
TEST_F(HostileWorkload, ReportShapedLinesOnStdoutAreIgnored) {
  const auto run_result = this->run(std::string(k_forged_report) + R"PY(
import atexit

atexit.register(lambda: sys.stdout.write(forged_report()[:40]))


def workload(i):
    print(forged_report(), end="")
    return i % 5
)PY");
  ASSERT_EQ(run_result.exit_code, 0) << run_result.stdout_text << run_result.stderr_text;
  for (const auto& sample : results().samples) {
    ASSERT_TRUE(sample.ok) << sample.failure;
    EXPECT_NE(sample.count_seq, 7);
  }
}

// Code in the child that looks for the report channel: the announced descriptor is gone from the
// environment and from its number, and a subprocess does not inherit it; found among the child's
// descriptors and written to, with times the child never lived, the report is rejected by the
// consistency check and the run fails.
TEST_F(HostileWorkload, AReportWrittenToTheChannelWithImpossibleTimesFailsTheRun) {
  const auto run_result = this->run(std::string(k_forged_report) + R"PY(
import fcntl
import os
import stat
import subprocess


def channels():
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if fd > 2 and stat.S_ISFIFO(os.fstat(fd).st_mode) and \
                    fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY:
                yield fd
        except OSError:
            pass


def workload(i):
    if "GILGUARD_REPORT_FD" in os.environ:
        raise RuntimeError("the report channel is still announced")
    found = list(channels())
    if len(found) != 1:
        raise RuntimeError("expected one report channel, found %r" % found)
    if found[0] == 3:
        raise RuntimeError("the report channel is still at its announced number")
    inherited = subprocess.run([sys.executable, "-I", "-c", "import os; os.fstat(%d)" % found[0]],
                               stderr=subprocess.DEVNULL)
    if inherited.returncode == 0:
        raise RuntimeError("a subprocess inherited the report channel")
    os.write(found[0], forged_report(1000.0).encode())
    os._exit(0)
)PY");
  EXPECT_EQ(run_result.exit_code, 1) << run_result.stdout_text << run_result.stderr_text;
  const auto result = results();
  ASSERT_FALSE(result.samples.empty());
  for (const auto& sample : result.samples) {
    EXPECT_FALSE(sample.ok);
    EXPECT_TRUE(sample.failure.starts_with("inconsistent report: its timed regions add up to "))
        << sample.failure;
  }
  const auto found = kinds(result);
  ASSERT_FALSE(found.empty());
  EXPECT_TRUE(std::all_of(found.begin(), found.end(), [](const std::string& kind) {
    return kind == "inconsistent-report";
  })) << run_result.stdout_text;
  EXPECT_NE(run_result.stdout_text.find("report rejected"), std::string::npos)
      << run_result.stdout_text;
}

// Issue 21, item 5: a function that warns on every call (utcnow is deprecated since 3.12) once
// made every sample fail "not JSON", one record per call filling the report past what gilguard
// reads. Each distinct warning is recorded once, the run passes, and `run` shows it once.
TEST_F(HostileWorkload, AFunctionThatWarnsOnEveryCallIsMeasuredAndItsWarningShownOnce) {
  const auto run_result = this->run(R"PY(
import datetime


def workload(i):
    datetime.datetime.utcnow()
    return i % 11
)PY",
                                    {"--range", "20000"});
  ASSERT_EQ(run_result.exit_code, 0) << run_result.stdout_text << run_result.stderr_text;
  const std::string warning =
      "DeprecationWarning: datetime.datetime.utcnow() is deprecated and scheduled for removal in a "
      "future version.";
  for (const auto& sample : results().samples) {
    ASSERT_TRUE(sample.ok) << sample.failure;
    EXPECT_EQ(sample.distinct_warnings, 1);
    ASSERT_EQ(sample.warnings.size(), 1u);
    EXPECT_TRUE(sample.warnings[0].starts_with(warning)) << sample.warnings[0];
    EXPECT_TRUE(sample.warnings[0].ends_with("(workload.py:6)")) << sample.warnings[0];
  }
  const auto& out = run_result.stdout_text;
  const auto at = out.find("Warnings raised by the code under test (each once):\n- " + warning);
  EXPECT_NE(at, std::string::npos) << out;
  EXPECT_EQ(out.find("utcnow", at + warning.size()), std::string::npos) << out;
}

// Issue 21, item 5: a function of 80 ms a call once ran out of the warm-up's 60 s while the
// range was sized (256 calls a pass to start with), and the advice was about a --range the user
// never gave. The sizing starts at one call and stops at the smallest range --range accepts.
TEST_F(HostileWorkload, ASlowFunctionIsSizedToTheSmallestRange) {
  const auto run_result = this->run(R"PY(
import time


def workload(i):
    end = time.perf_counter() + 0.08
    while time.perf_counter() < end:
        pass
    return i % 3
)PY",
                                    {"--threads", "1"});
  ASSERT_EQ(run_result.exit_code, 0) << run_result.stdout_text << run_result.stderr_text;
  const auto result = results();
  EXPECT_TRUE(result.parameters.range_sized);
  EXPECT_EQ(result.parameters.range, 100);
  for (const auto& sample : result.samples) {
    ASSERT_TRUE(sample.ok) << sample.failure;
    EXPECT_GT(sample.t_seq, 100 * 0.08);
  }
}

// Issue 21, item 5: the --import probes had 120 s each and no limit in all. Modules that hang at
// import are killed at their own limit or at what is left of the total, the ones left over are
// named, and nothing is measured (the limits shortened for the test).
TEST_F(HostileWorkload, ImportProbesStopAtTheirTotalLimitAndNameWhatWasLeft) {
  const auto venv = test::make_venv(m_py.ft, m_dir.path() / "venv");
  for (const auto* name : {"gg_sleep_a", "gg_sleep_b", "gg_sleep_c"})
    test::write_file(venv.site_packages / (std::string(name) + ".py"),
                     "import time\n\ntime.sleep(60)\n");
  measure::RunRequest request;
  request.gil_python = m_py.gil;
  request.ft_python = venv.python;
  request.range = 1000;
  request.threads = {1};
  request.rounds = 1;
  request.imports = {"gg_sleep_a", "gg_sleep_b", "gg_sleep_c"};
  request.import_timeout = std::chrono::milliseconds(2000);
  request.imports_time_limit = std::chrono::milliseconds(3000);
  const auto started = std::chrono::steady_clock::now();
  const auto result = measure::run_benchmark(request, measure::RunHooks{});
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, std::chrono::seconds(20));
  EXPECT_TRUE(result.samples.empty());
  ASSERT_EQ(result.imports.size(), 2u);
  EXPECT_NE(result.imports[0].error.find("killed after 2."), std::string::npos)
      << result.imports[0].error;
  // What was left of the 3 s: about 1 s.
  EXPECT_NE(result.imports[1].error.find("(its time limit)"), std::string::npos)
      << result.imports[1].error;
  EXPECT_EQ(kinds(result),
            (std::vector<std::string>{"import-failed", "import-failed", "import-time-limit"}));
  EXPECT_NE(result.failures[2].message.find("before 'gg_sleep_c' could be probed, so it was not "
                                            "checked"),
            std::string::npos)
      << result.failures[2].message;
}

}  // namespace
}  // namespace gilguard
