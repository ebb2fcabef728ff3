// The same-machine reference with code that starts threads at import (issue 22, item 5), end to
// end with the real binary and interpreters. A workload file whose import starts a
// concurrent.futures pool: a process forked after that import holds the pool's queue and its
// count of idle workers, but none of its threads, so a task submitted there waits forever. The
// reference's workers must come from a process forked before any code under test ran, and load
// the workload themselves.

#include <gtest/gtest.h>

#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;

// The pool is started at import and used once there, so its worker thread exists and is idle;
// every call hands its work to the pool and waits for the answer.
constexpr const char* k_pool_workload =
    "from concurrent.futures import ThreadPoolExecutor\n"
    "\n"
    "POOL = ThreadPoolExecutor(max_workers=2)\n"
    "POOL.submit(int).result()\n"
    "\n"
    "\n"
    "def square_mod(i):\n"
    "    total = 0\n"
    "    for k in range(40):\n"
    "        total += (i * k) % 11\n"
    "    return total\n"
    "\n"
    "\n"
    "def workload(i):\n"
    "    return POOL.submit(square_mod, i).result()\n";

TEST(ReferenceWorkers, AThreadPoolStartedAtImportDoesNotHangTheReference) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  test::write_file(dir.path() / "bench_pool.py", k_pool_workload);
  util::ProcessOptions options;
  // Today's fork after import hangs every free-threaded child with the reference until its
  // timeout (60 s with a sized range); bounded here, whichever comes first.
  options.timeout = std::chrono::minutes(4);
  options.working_directory = dir.path();
  const auto result = util::run_process(
      {test::gilguard_binary().string(), "run", "--gil", py.gil.string(), "--ft", py.ft.string(),
       "--workload", "bench_pool.py", "--threads", "2", "--rounds", "1", "--output", "r.json"},
      {{"PATH", "/usr/bin:/bin"}, {"HOME", dir.path().string()}}, options);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_FALSE(result->timed_out) << result->stderr_text;
  EXPECT_EQ(result->exit_code, 0) << result->stderr_text << result->stdout_text;

  const auto run = baseline::results_from_json_text(test::read_file(dir.path() / "r.json"));
  ASSERT_TRUE(run) << run.error().message;
  int references = 0;
  for (const auto& sample : run->samples) {
    EXPECT_TRUE(sample.ok) << sample.failure;
    if (sample.cell.flavor != Flavor::ft) continue;
    // Every free-threaded child measured the reference, and its workers computed what the
    // threads did.
    EXPECT_GT(sample.t_ref, 0);
    EXPECT_EQ(sample.count_ref, sample.count_seq);
    ++references;
    // Nothing forked a process that had threads (CPython 3.12+ warns when it does).
    for (const auto& warning : sample.warnings)
      EXPECT_EQ(warning.find("multi-threaded"), std::string::npos) << warning;
  }
  EXPECT_EQ(references, 2);  // the warm-up and the measured round
}

}  // namespace
}  // namespace gilguard
