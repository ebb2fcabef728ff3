// --gate-single-thread: which workloads' single-thread metrics gate, and the options it makes.

#include <gtest/gtest.h>

#include "gilguard/cli/compare_flow.hpp"

namespace gilguard::cli {
namespace {

CompareSettings with(std::string value) {
  CompareSettings settings;
  settings.gate_single_thread = std::move(value);
  return settings;
}

TEST(GateSingleThread, AutoGatesGilguardsOwnWorkloadsAndNotAFile) {
  EXPECT_TRUE(gate_single_thread(with("auto"), "primes"));
  EXPECT_TRUE(gate_single_thread(with("auto"), "builtin:objects"));
  EXPECT_FALSE(gate_single_thread(with("auto"), "file:bench/parse.py:parse_one"));
  EXPECT_TRUE(gate_single_thread(with("yes"), "file:bench/parse.py:parse_one"));
  EXPECT_FALSE(gate_single_thread(with("no"), "primes"));
}

TEST(GateSingleThread, AnotherValueIsAUsageErrorNamingTheOption) {
  try {
    (void)gate_single_thread(with("maybe"), "primes");
    FAIL() << "no error";
  } catch (const Failure& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    EXPECT_EQ(std::string(e.what()).rfind("--gate-single-thread maybe: pass yes", 0), 0u)
        << e.what();
  }
}

TEST(GateSingleThread, TheOptionsOfAFileWorkloadLeaveTheSingleThreadMetricsOut) {
  const MachineFacts machine;
  const auto file = "file:w.py:workload";
  EXPECT_FALSE(to_compare_options(with("auto"), machine, file).gate_overhead);
  EXPECT_FALSE(to_ab_options(with("auto"), machine, file).gate_time);
  EXPECT_TRUE(to_compare_options(with("auto"), machine, "primes").gate_overhead);
  EXPECT_TRUE(to_ab_options(with("auto"), machine, "primes").gate_time);
  EXPECT_FALSE(stats::is_gating_ab({MetricKind::time, Flavor::ft, 1},
                                   to_ab_options(with("auto"), machine, file)));
}

}  // namespace
}  // namespace gilguard::cli
