#include "gilguard/baseline/update.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "gilguard/baseline/key.hpp"
#include "unit/baseline/baseline_samples.hpp"

namespace gilguard::baseline {
namespace {

const MetricId k_ft2{MetricKind::speedup, Flavor::ft, 2};
const MetricId k_gil2{MetricKind::speedup, Flavor::gil, 2};
const MetricId k_overhead{MetricKind::overhead, Flavor::ft, 1};

const MetricSamples* find(const std::vector<MetricSamples>& all, const MetricId& id) {
  for (const auto& s : all) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

TEST(BaselineUpdate, EntryHoldsProvenanceEstimatesAndPerRoundValues) {
  const RunResult results = testdata::sample_results(4);
  const BaselineEntry entry = entry_from_results(results);
  const auto& p = entry.summary.provenance;
  EXPECT_EQ(p.commit, "abc123def4567890");
  EXPECT_EQ(p.date, "2026-11-25T08:00:00Z");
  EXPECT_EQ(p.gilguard_version, "0.1.0");
  EXPECT_EQ(p.cpu_model, "Intel(R) Xeon(R) CPU @ 2.20GHz");
  EXPECT_EQ(p.gil_version, "3.13.5");
  EXPECT_EQ(p.ft_config_args, "'--disable-gil'");

  // Speedups at 2 threads (not at 1) and the overhead; the warm-up round 0 is left out.
  ASSERT_EQ(entry.per_round.size(), 3u);
  const auto* ft2 = find(entry.per_round, k_ft2);
  ASSERT_NE(ft2, nullptr);
  ASSERT_EQ(ft2->values.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_NEAR(ft2->values[i], 1.8 + 0.01 * double(i + 1), 1e-12);
  const auto* overhead = find(entry.per_round, k_overhead);
  ASSERT_NE(overhead, nullptr);
  for (const double v : overhead->values) EXPECT_NEAR(v, 1.2, 1e-12);
  ASSERT_NE(find(entry.per_round, k_gil2), nullptr);

  ASSERT_EQ(entry.summary.metrics.size(), 3u);
  for (const auto& [id, estimate] : entry.summary.metrics) {
    const auto* values = find(entry.per_round, id);
    ASSERT_NE(values, nullptr) << metric_name(id);
    const auto [lo, hi] = std::minmax_element(values->values.begin(), values->values.end());
    EXPECT_EQ(estimate.rounds, 4) << metric_name(id);
    EXPECT_LE(estimate.low, estimate.value) << metric_name(id);
    EXPECT_LE(estimate.value, estimate.high) << metric_name(id);
    EXPECT_GE(estimate.low, *lo - 1e-12) << metric_name(id);
    EXPECT_LE(estimate.high, *hi + 1e-12) << metric_name(id);
  }
  EXPECT_NEAR(entry.summary.find(k_ft2)->value, 1.825, 0.006);
  EXPECT_NEAR(entry.summary.find(k_overhead)->value, 1.2, 1e-9);
}

TEST(BaselineUpdate, FailedSamplesAreLeftOut) {
  RunResult results = testdata::sample_results(4);
  for (auto& s : results.samples) {
    if (s.round == 2 && s.cell.flavor == Flavor::ft && s.cell.threads == 2) s.ok = false;
  }
  const BaselineEntry entry = entry_from_results(results);
  EXPECT_EQ(find(entry.per_round, k_ft2)->values.size(), 3u);
  EXPECT_EQ(entry.summary.find(k_ft2)->rounds, 3);
  EXPECT_EQ(find(entry.per_round, k_gil2)->values.size(), 4u);
}

TEST(BaselineUpdate, WorkloadOfSortsThreads) {
  const Workload w = workload_of(testdata::sample_results(1));
  EXPECT_EQ(w, (Workload{"primes", 1'000'000, {1, 2}}));
}

TEST(BaselineUpdate, AddRunKeepsTheNewestRunsLast) {
  std::optional<Baseline> baseline;
  const Workload workload{"primes", 1'000'000, {1, 2}};
  for (int i = 0; i < 5; ++i) {
    baseline = add_run(std::move(baseline), testdata::k_key, workload,
                       testdata::sample_entry("run" + std::to_string(i), 1.8), 3, false);
  }
  ASSERT_EQ(baseline->runs.size(), 3u);
  EXPECT_EQ(baseline->runs[0].summary.provenance.commit, "run2");
  EXPECT_EQ(baseline->runs[2].summary.provenance.commit, "run4");
  EXPECT_EQ(baseline->key, testdata::k_key);
  EXPECT_EQ(baseline->workload, workload);
}

TEST(BaselineUpdate, ResetReplacesAllRuns) {
  Baseline old = testdata::sample_baseline(4);
  const Baseline fresh = add_run(old, "new-key", Workload{"primes", 1'000'000, {1, 4}},
                                 testdata::sample_entry("fresh", 2.0), 10, true);
  ASSERT_EQ(fresh.runs.size(), 1u);
  EXPECT_EQ(fresh.runs[0].summary.provenance.commit, "fresh");
  EXPECT_EQ(fresh.key, "new-key");
  // The entry's metrics are at 2 threads: the union with the workload's 1 and 4.
  EXPECT_EQ(fresh.workload.threads, (std::vector<int>{1, 2, 4}));
}

TEST(BaselineUpdate, ThreadsAreTheUnionOverKeptRuns) {
  Baseline old = testdata::sample_baseline(1);
  const Baseline updated = add_run(old, old.key, Workload{"primes", 1'000'000, {1, 2, 4}},
                                   testdata::sample_entry("x", 1.8), 10, false);
  EXPECT_EQ(updated.workload.threads, (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(updated.runs.size(), 2u);
}

TEST(BaselineUpdate, ResultsForAnotherWorkloadAreRefused) {
  const Baseline baseline = testdata::sample_baseline(1);
  RunResult results = testdata::sample_results(1);
  EXPECT_TRUE(check_results_match(baseline, results).has_value());
  results.parameters.range = 500'000;
  auto mismatch = check_results_match(baseline, results);
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_EQ(mismatch.error().message,
            "the results are for key 'linux-x86_64-cpu2-py3.13-primes-r500000' (workload primes, "
            "range 500000), but the baseline holds key 'linux-x86_64-cpu2-py3.13-primes-r1000000' "
            "(workload primes, range 1000000). Pass --baseline-key with a key recorded for this "
            "workload, or point --baselines at the directory that holds its baselines");
}

// A sized range is range 0 in the baseline, so a run that sized another range on another machine
// still matches; the run's file digest is kept with its entry.
TEST(BaselineUpdate, ASizedRangeMatchesWhateverRangeTheRunSized) {
  RunResult results = testdata::sample_results(1);
  results.parameters.workload = "builtin:objects";
  results.parameters.range_sized = true;
  results.parameters.range = 65'536;
  const Workload workload = workload_of(results);
  EXPECT_EQ(workload.range, 0);
  Baseline baseline =
      add_run(std::nullopt, derive_key(results), workload, entry_from_results(results), 10, false);
  results.parameters.range = 131'072;
  EXPECT_TRUE(check_results_match(baseline, results).has_value());
  results.parameters.range_sized = false;
  auto mismatch = check_results_match(baseline, results);
  ASSERT_FALSE(mismatch.has_value());
  EXPECT_NE(mismatch.error().message.find("(workload builtin:objects, range sized in each run)"),
            std::string::npos)
      << mismatch.error().message;

  results.parameters.workload_digest = std::string(64, 'f');
  EXPECT_EQ(entry_from_results(results).summary.provenance.workload_digest, std::string(64, 'f'));
}

TEST(BaselineUpdate, CommitMessageNamesKeyAndSourceCommit) {
  const Baseline baseline = testdata::sample_baseline(3);
  Provenance source = testdata::sample_entry("0123456789abcdef0123", 1.8).summary.provenance;
  EXPECT_EQ(commit_message(baseline, source, false,
                           {"baselines/linux-x86_64-cpu2-py3.13-primes-r1000000.json"}),
            "baselines: update linux-x86_64-cpu2-py3.13-primes-r1000000 from 0123456789ab\n"
            "\n"
            "Measured on source commit 0123456789abcdef0123 at 2026-11-24T20:14:07Z by gilguard "
            "0.1.0.\n"
            "The baseline now keeps 3 runs.\n"
            "\n"
            "Files:\n"
            "  baselines/linux-x86_64-cpu2-py3.13-primes-r1000000.json\n");
  source.commit.clear();
  const std::string reset = commit_message(testdata::sample_baseline(1), source, true, {});
  EXPECT_EQ(reset,
            "baselines: reset linux-x86_64-cpu2-py3.13-primes-r1000000 from an unknown commit\n"
            "\n"
            "Measured on an unknown source commit at 2026-11-24T20:14:07Z by gilguard "
            "0.1.0.\n"
            "The baseline now keeps 1 run (earlier runs were discarded with --reset).\n");
}

}  // namespace
}  // namespace gilguard::baseline
