#include "gilguard/workload/primes.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "gilguard/workload/harness.hpp"
#include "gilguard/workload/prelude.hpp"

namespace gilguard::workload {
namespace {

// Trial division exactly as the Python workload does it, counting divisions.
bool slow_is_prime(std::int64_t n, std::int64_t* divisions = nullptr) {
  if (n < 2) return false;
  for (std::int64_t d = 2; d * d <= n; ++d) {
    if (divisions != nullptr) ++*divisions;
    if (n % d == 0) return false;
  }
  return true;
}

TEST(Workload, SieveAgreesWithTrialDivision) {
  for (std::int64_t range : {0, 1, 2, 3, 4, 100, 101, 7919, 7920, 20000}) {
    std::int64_t slow = 0;
    for (std::int64_t n = 1; n < range; ++n) slow += slow_is_prime(n) ? 1 : 0;
    EXPECT_EQ(count_primes_below(range), slow) << "range " << range;
  }
}

TEST(Workload, BlogRangeHas78498Primes) { EXPECT_EQ(count_primes_below(1'000'000), 78'498); }

TEST(Workload, SplitCoversTheRangeContiguouslyWithoutGaps) {
  for (std::int64_t range : {100, 101, 1'000'000, 999'999}) {
    for (int threads : {1, 2, 3, 4, 7}) {
      const auto chunks = split_range(range, threads);
      ASSERT_EQ(chunks.size(), static_cast<std::size_t>(threads));
      EXPECT_EQ(chunks.front().first, 1);
      EXPECT_EQ(chunks.back().second, range);
      for (std::size_t i = 1; i < chunks.size(); ++i)
        EXPECT_EQ(chunks[i].first, chunks[i - 1].second) << range << "/" << threads << " #" << i;
      // Equal sizes range/threads, the last one taking what is left.
      for (std::size_t i = 0; i + 1 < chunks.size(); ++i)
        EXPECT_EQ(chunks[i].second - chunks[i].first, range / threads);
    }
  }
}

TEST(Workload, SplitIncludesTheBoundaryNumbersTheBlogSkips) {
  // The blog's split of [1, 20) over 2 threads tests 1..9 and 11..19, missing 10; here 10 is in
  // the second chunk. With range 14 and 2 threads the boundary 7 is prime: a gap would lose it.
  const auto chunks = split_range(14, 2);
  EXPECT_EQ(chunks[0], (Chunk{1, 8}));
  EXPECT_EQ(chunks[1], (Chunk{8, 14}));
  std::int64_t primes = 0;
  for (const auto& [first, last] : chunks)
    for (auto n = first; n < last; ++n) primes += slow_is_prime(n) ? 1 : 0;
  EXPECT_EQ(primes, count_primes_below(14));
}

TEST(Workload, ChunkDivisionsMatchCountingThemOneByOne) {
  const std::int64_t range = 30'000;
  const int threads = 3;
  const auto work = chunk_trial_divisions(range, threads);
  const auto chunks = split_range(range, threads);
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    std::int64_t divisions = 0;
    for (auto n = chunks[i].first; n < chunks[i].second; ++n) slow_is_prime(n, &divisions);
    EXPECT_EQ(work[i], divisions) << "chunk " << i;
  }
}

TEST(Workload, SplitBoundIsBetweenOneAndTheThreadCount) {
  EXPECT_DOUBLE_EQ(*split_speedup_bound(100'000, 1), 1.0);
  for (int threads : {2, 4}) {
    const auto bound = split_speedup_bound(100'000, threads);
    ASSERT_TRUE(bound.has_value());
    EXPECT_GT(*bound, 1.0);
    // Later chunks hold larger numbers with longer trial divisions: never perfectly balanced.
    EXPECT_LT(*bound, threads);
  }
  EXPECT_FALSE(split_speedup_bound(20'000'000, 2).has_value());
}

TEST(Workload, ScriptTakesItsParametersFromArgv) {
  const auto script = prime_script();
  EXPECT_NE(script.find("sys.argv[1]"), std::string_view::npos);
  EXPECT_NE(script.find("isqrt"), std::string_view::npos);
  EXPECT_NE(script.find("_is_gil_enabled"), std::string_view::npos);
  EXPECT_NE(script.find("with WarningLog() as caught:"), std::string_view::npos);
}

// The prelude's numbers are gilguard's: the channel it takes over, how many warnings it lists.
TEST(Prelude, TakesTheReportChannelGilguardNamesAndListsAsManyWarningsAsItKeeps) {
  const auto prelude = child_prelude();
  EXPECT_NE(prelude.find("os.environ.pop(\"" + std::string(k_report_fd_variable) + "\""),
            std::string_view::npos);
  EXPECT_NE(prelude.find("MAX_WARNINGS = " + std::to_string(k_max_reported_warnings) + "\n"),
            std::string_view::npos);
  EXPECT_NE(prelude.find("REPORT.write(json.dumps(report)"), std::string_view::npos);
  EXPECT_EQ(prelude.find("sys.stdout.write(json.dumps(report)"), std::string_view::npos);
}

// The harness sizes a range within the bounds of --range.
TEST(Harness, SizesWithinTheBoundsOfRange) {
  const auto script = harness_script();
  EXPECT_NE(script.find("MIN_RANGE = " + std::to_string(k_min_sized_range) + "\n"),
            std::string_view::npos);
  EXPECT_NE(script.find("MAX_RANGE = " + std::to_string(k_max_sized_range) + "\n"),
            std::string_view::npos);
  EXPECT_EQ(script.find("MIN_RANGE = 0"), std::string_view::npos);
}

}  // namespace
}  // namespace gilguard::workload
