#include "gilguard/workload/workload.hpp"

#include <gtest/gtest.h>

#include "gilguard/workload/prelude.hpp"
#include "gilguard/workload/primes.hpp"

namespace gilguard::workload {
namespace {

// The prime benchmark is one Workload among the others: what the run asked of it before
// (is_primes() in four rooms) it now answers itself.
TEST(Workload, ThePrimeBenchmarkIsOneImplementation) {
  const auto primes = make_workload(parse_workload("primes"));
  EXPECT_EQ(primes->label(), "primes");
  EXPECT_FALSE(primes->sizes_range());
  EXPECT_TRUE(primes->repeats_regions());
  EXPECT_EQ(primes->expected_result(100), 25);
  EXPECT_EQ(primes->split_bound(100'000, 2), split_speedup_bound(100'000, 2));
  const HarnessRun run{5000, 2, true, true, 3};
  const auto argv = primes->child_argv("/py/ft", run, {"m"}, std::string("0"));
  EXPECT_EQ(argv, script_argv("/py/ft", std::string("0"), prime_script(),
                              {"5000", "2", "1", "1", "3"}, {"m"}));
  Sample wrong;
  wrong.count_seq = 25;
  wrong.count_par = 24;
  EXPECT_EQ(primes->wrong_result(wrong, 25, 100),
            "wrong prime count: sequential 25, threaded 24, but there are 25 primes below 100");
}

TEST(Workload, HarnessWorkloadsSizeTheirRangeAndAgreeWithThemselves) {
  for (const auto* text : {"builtin:objects", "bench/b.py:bench_a[n=2]"}) {
    const auto spec = parse_workload(text);
    const auto described = make_workload(spec);
    EXPECT_EQ(described->label(), spec.label());
    EXPECT_TRUE(described->sizes_range()) << text;
    EXPECT_FALSE(described->repeats_regions()) << text;
    EXPECT_EQ(described->expected_result(1000), std::nullopt) << text;
    EXPECT_EQ(described->split_bound(1000, 2), std::nullopt) << text;
    const HarnessRun run{0, 2, true, true};
    EXPECT_EQ(described->child_argv("/py/ft", run, {}, std::nullopt),
              harness_argv("/py/ft", spec, run));
  }
  Sample wrong;
  wrong.count_seq = 7;
  wrong.count_par = 8;
  wrong.t_ref = 0.5;
  wrong.count_ref = 7;
  EXPECT_EQ(make_workload(parse_workload("b.py:bench_a"))->wrong_result(wrong, std::nullopt, 0),
            "wrong result of file:b.py:bench_a: folded results sequential 7, threaded 8, in "
            "processes 7");
}

}  // namespace
}  // namespace gilguard::workload
