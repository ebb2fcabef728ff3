// A benchmark file as a package's maintainer writes it (issue 22, item 3), end to end with the
// real binary and interpreters: several bench_* functions in one file, each measured as its own
// workload with its own results, key and report; a setup() that runs outside the timing;
// parameters; and results compared by value, an object that prints its address refused with
// "return a value, not an object" instead of being called a data race.

#include <gtest/gtest.h>

#include "gilguard/baseline/comparison_codec.hpp"
#include "gilguard/baseline/key.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;

// Two benchmarks that read a table only setup() builds; setup() also sleeps far longer than
// any timed region at the test's range, so time spent in it would show in every region.
constexpr const char* k_two_benchmarks =
    "import time\n"
    "\n"
    "TABLE = None\n"
    "\n"
    "\n"
    "def setup():\n"
    "    global TABLE\n"
    "    time.sleep(0.6)\n"
    "    TABLE = [k * k for k in range(64)]\n"
    "\n"
    "\n"
    "def bench_sum(i):\n"
    "    return sum(TABLE[(i + k) % 64] for k in range(8))\n"
    "\n"
    "\n"
    "def bench_text(i, repeat=1):\n"
    "    return ('%d-' % (i % 97)) * repeat\n"
    "\n"
    "\n"
    "def helper(i):\n"
    "    return i\n";

class BenchmarkFile : public testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(repo());
    test::run_git(repo(), {"init", "-q", "-b", "main"});
  }

  fs::path repo() const { return m_dir.path() / "repo"; }

  // `gilguard COMMAND` in the repository with a small fixed range, 2 threads and one round.
  util::ProcessResult gilguard(const test::Interpreters& py, const std::string& command,
                               const std::string& workload, std::vector<std::string> more) {
    std::vector<std::string> argv{test::gilguard_binary().string(),
                                  command,
                                  "--gil",
                                  py.gil.string(),
                                  "--ft",
                                  py.ft.string(),
                                  "--workload",
                                  workload,
                                  "--range",
                                  "2000",
                                  "--threads",
                                  "2",
                                  "--rounds",
                                  "1"};
    argv.insert(argv.end(), more.begin(), more.end());
    util::ProcessOptions options;
    options.timeout = std::chrono::minutes(5);
    options.working_directory = repo();
    auto result = util::run_process(
        argv, {{"PATH", "/usr/bin:/bin"}, {"HOME", m_dir.path().string()}}, options);
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : util::ProcessResult{};
  }

  RunResult results(const fs::path& path) {
    auto decoded = baseline::results_from_json_text(test::read_file(path));
    if (!decoded) throw std::runtime_error(path.string() + ": " + decoded.error().message);
    return *decoded;
  }

  test::TempDir m_dir;
};

TEST_F(BenchmarkFile, EachBenchmarkIsItsOwnWorkloadAndSetupIsNotTimed) {
  REQUIRE_INTERPRETERS(py);
  test::write_file(repo() / "bench/bench_lib.py", k_two_benchmarks);

  const auto run = gilguard(py, "run", "bench/bench_lib.py", {"--output", "r.json"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text << run.stdout_text;
  // One results file per benchmark, named after it; helper() is no benchmark.
  EXPECT_FALSE(fs::exists(repo() / "r.json"));
  EXPECT_FALSE(fs::exists(repo() / "r.helper.json"));
  const auto sum = results(repo() / "r.bench_sum.json");
  const auto text = results(repo() / "r.bench_text.json");
  EXPECT_EQ(sum.parameters.workload, "file:bench/bench_lib.py:bench_sum");
  EXPECT_EQ(text.parameters.workload, "file:bench/bench_lib.py:bench_text");
  EXPECT_NE(baseline::derive_key(sum), baseline::derive_key(text));
  // Every report names its benchmark.
  EXPECT_NE(run.stdout_text.find("file:bench/bench_lib.py:bench_sum"), std::string::npos)
      << run.stdout_text;
  EXPECT_NE(run.stdout_text.find("file:bench/bench_lib.py:bench_text"), std::string::npos)
      << run.stdout_text;

  for (const auto* result : {&sum, &text}) {
    ASSERT_FALSE(result->samples.empty());
    for (const auto& sample : result->samples) {
      ASSERT_TRUE(sample.ok) << sample.failure;
      // setup() slept 0.6 s in every process that ran a benchmark (the child and each
      // reference worker): none of it is in a timed region.
      EXPECT_LT(sample.t_seq, 0.5);
      EXPECT_LT(sample.t_par, 0.5);
      EXPECT_LT(sample.t_ref, 0.5);
      if (sample.cell.flavor == Flavor::ft) {
        EXPECT_GT(sample.t_ref, 0);
      }
    }
  }

  // `check` compares and reports each on its own: two comparisons, each naming its benchmark.
  const auto check = gilguard(py, "check", "bench/bench_lib.py",
                              {"--results", "c.json", "--comparison", "cmp.json"});
  EXPECT_EQ(check.exit_code, 0) << check.stderr_text << check.stdout_text;
  for (const auto* name : {"bench_sum", "bench_text"}) {
    const auto comparison = baseline::comparison_from_json_text(
        test::read_file(repo() / (std::string("cmp.") + name + ".json")));
    ASSERT_TRUE(comparison) << comparison.error().message;
    EXPECT_EQ(comparison->workload, std::string("file:bench/bench_lib.py:") + name);
    EXPECT_NE(comparison->baseline_key.find(name), std::string::npos) << comparison->baseline_key;
    EXPECT_NE(check.stdout_text.find(std::string("workload file:bench/bench_lib.py:") + name),
              std::string::npos)
        << check.stdout_text;
    EXPECT_TRUE(fs::exists(repo() / (std::string("c.") + name + ".json")));
  }

  // One benchmark by name, with a parameter: its own label, so its own key.
  const auto one =
      gilguard(py, "run", "bench/bench_lib.py:bench_text[repeat=3]", {"--output", "one.json"});
  ASSERT_EQ(one.exit_code, 0) << one.stderr_text << one.stdout_text;
  const auto repeated = results(repo() / "one.json");
  EXPECT_EQ(repeated.parameters.workload, "file:bench/bench_lib.py:bench_text[repeat=3]");
  // The parameter reached the function: its results differ from the default's.
  ASSERT_FALSE(repeated.samples.empty());
  ASSERT_TRUE(repeated.samples[0].ok) << repeated.samples[0].failure;
  EXPECT_NE(repeated.samples[0].count_seq, text.samples[0].count_seq);
}

// An object without __eq__ or __repr__ prints its address, which differs between the threads'
// and the processes' copies even when the values agree: a clear refusal, not a data race. A dict
// built in another order in a thread is the same value and passes.
TEST_F(BenchmarkFile, AnObjectResultIsRefusedAndEqualDictsAgree) {
  REQUIRE_INTERPRETERS(py);
  test::write_file(repo() / "bench_values.py",
                   "import threading\n"
                   "\n"
                   "\n"
                   "class Point:\n"
                   "    def __init__(self, x):\n"
                   "        self.x = x\n"
                   "\n"
                   "\n"
                   "def bench_point(i):\n"
                   "    return Point(i % 5)\n"
                   "\n"
                   "\n"
                   "def bench_dict(i):\n"
                   "    keys = ['a', 'b', 'c']\n"
                   "    if threading.current_thread() is not threading.main_thread():\n"
                   "        keys.reverse()\n"
                   "    return {k: i % 7 for k in keys}\n");

  const auto point = gilguard(py, "run", "bench_values.py:bench_point", {"--output", "point.json"});
  EXPECT_EQ(point.exit_code, 1) << point.stderr_text << point.stdout_text;
  EXPECT_NE(point.stderr_text.find("return a value, not an object"), std::string::npos)
      << point.stderr_text;
  EXPECT_NE(point.stderr_text.find("bench_point(0) returned <"), std::string::npos)
      << point.stderr_text;
  EXPECT_EQ(point.stderr_text.find("data race"), std::string::npos) << point.stderr_text;
  EXPECT_EQ(point.stderr_text.find("wrong result"), std::string::npos) << point.stderr_text;
  const auto refused = results(repo() / "point.json");
  ASSERT_FALSE(refused.failures.empty());
  EXPECT_EQ(refused.failures[0].kind, "object-result");

  const auto dict = gilguard(py, "run", "bench_values.py:bench_dict", {"--output", "dict.json"});
  EXPECT_EQ(dict.exit_code, 0) << dict.stderr_text << dict.stdout_text;
}

}  // namespace
}  // namespace gilguard
