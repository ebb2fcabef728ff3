#include <gtest/gtest.h>

#include "gilguard/cli/run_options.hpp"
#include "support/test_util.hpp"

namespace gilguard::cli {
namespace {

// A file of several benchmarks is measured as one workload each, written beside each other.
TEST(Benchmarks, AFileOfSeveralBenchmarksIsOneWorkloadEach) {
  test::TempDir dir;
  const auto file = (dir.path() / "b.py").string();
  test::write_file(file, "def bench_x(i):\n    return i\n\ndef bench_y(i):\n    return -i\n");
  const auto several = benchmarks_of(file + "[n=1]");
  ASSERT_EQ(several.size(), 2u);
  EXPECT_EQ(several[0].workload, file + ":bench_x[n=1]");
  EXPECT_EQ(several[0].name, "bench_x");
  EXPECT_EQ(several[1].workload, file + ":bench_y[n=1]");
  const auto named = benchmarks_of(file + ":bench_y");
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named[0].workload, file + ":bench_y");
  EXPECT_EQ(named[0].name, "");
  EXPECT_EQ(benchmarks_of("primes").size(), 1u);

  EXPECT_EQ(path_for_benchmark("out/r.json", ""), "out/r.json");
  EXPECT_EQ(path_for_benchmark("out/r.json", "bench_x"), "out/r.bench_x.json");
  EXPECT_EQ(path_for_benchmark("results", "bench_x"), "results.bench_x");
  EXPECT_EQ(path_for_benchmark("/dev/null", "bench_x"), "/dev/null");

  // Measuring the whole file as one workload is refused with the names.
  RunOptions options;
  options.workload = file;
  try {
    to_run_request(options);
    ADD_FAILURE() << "no usage error";
  } catch (const Failure& e) {
    EXPECT_NE(std::string(e.what()).find("several benchmarks (bench_x, bench_y)"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace gilguard::cli
