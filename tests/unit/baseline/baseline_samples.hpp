#pragma once

// Baselines and run results for the baseline tests, with plausible values.

#include <string>

#include "gilguard/baseline/baseline.hpp"
#include "gilguard/core/run_result.hpp"
#include "support/test_util.hpp"

namespace gilguard::baseline::testdata {

inline constexpr const char* k_key = "linux-x86_64-cpu2-py3.13-primes-r1000000";

// A run with ft-speedup-2, gil-speedup-2 and ft-overhead over 3 rounds.
inline BaselineEntry sample_entry(const std::string& commit, double ft_speedup) {
  BaselineEntry entry;
  auto& p = entry.summary.provenance;
  p.commit = commit;
  p.date = "2026-11-24T20:14:07Z";
  p.gilguard_version = "0.1.0";
  p.cpu_model = "Intel(R) Xeon(R) CPU @ 2.20GHz";
  p.gil_version = "3.13.5";
  p.gil_config_args = "'--prefix=/tmp/gil'";
  p.ft_version = "3.13.5";
  p.ft_config_args = "'--prefix=/tmp/ft' '--disable-gil'";
  const MetricId ft2{MetricKind::speedup, Flavor::ft, 2};
  const MetricId gil2{MetricKind::speedup, Flavor::gil, 2};
  const MetricId overhead{MetricKind::overhead, Flavor::ft, 1};
  entry.summary.metrics = {{ft2, {ft_speedup, ft_speedup - 0.05, ft_speedup + 0.04, 3, {}}},
                           {gil2, {0.99, 0.97, 1.01, 3, {}}},
                           {overhead, {1.25, 1.2, 1.3, 3, {}}}};
  entry.per_round = {{ft2, {ft_speedup - 0.02, ft_speedup, ft_speedup + 0.03}},
                     {gil2, {0.98, 0.99, 1.0}},
                     {overhead, {1.21, 1.25, 1.29}}};
  return entry;
}

inline Baseline sample_baseline(int runs = 2) {
  Baseline baseline;
  baseline.key = k_key;
  baseline.workload = {"primes", 1'000'000, {1, 2}};
  for (int i = 0; i < runs; ++i)
    baseline.runs.push_back(sample_entry("c0ffee" + std::to_string(i), 1.8 + 0.01 * i));
  return baseline;
}

// The primes below the default range, 1,000,000: what every sample of sample_results counted.
inline constexpr std::int64_t k_primes_below_range = 78'498;

// A run result with `rounds` measured rounds (plus a warm-up) of gil/ft at 1 and 2 threads.
inline RunResult sample_results(int rounds = 4, std::string commit = "abc123def4567890") {
  RunResult result;
  result.gilguard_version = "0.1.0";
  result.started_at = "2026-11-25T08:00:00Z";
  result.machine = test::linux_machine("Intel(R) Xeon(R) CPU @ 2.20GHz", 2, 2, "6.1.0");
  result.gil.version = "3.13.5";
  result.gil.config_args = "'--prefix=/tmp/gil'";
  result.ft.version = "3.13.5";
  result.ft.gil_disabled_build = true;
  result.ft.config_args = "'--disable-gil'";
  result.parameters.threads = {2, 1};
  result.parameters.rounds = rounds;
  result.parameters.expected_count = k_primes_below_range;
  result.source_commit = std::move(commit);
  for (int round = 0; round <= rounds; ++round) {
    for (const auto flavor : {Flavor::gil, Flavor::ft}) {
      for (const int threads : {1, 2}) {
        Sample s;
        s.round = round;
        s.cell = {flavor, threads, true};
        s.ok = true;
        // Speedups: ft 1.80 + 0.01 * round at 2 threads, gil 1.0; ft is 1.2x slower alone.
        const double base = flavor == Flavor::ft ? 1.2 : 1.0;
        s.t_seq = base * (1.0 + 0.001 * round);
        const double speedup =
            threads == 1 ? 1.0 : (flavor == Flavor::ft ? 1.8 + 0.01 * round : 1.0);
        s.t_par = s.t_seq / speedup;
        s.count_seq = k_primes_below_range;
        s.count_par = k_primes_below_range;
        s.gil_enabled = flavor == Flavor::gil;
        result.samples.push_back(s);
      }
    }
  }
  return result;
}

}  // namespace gilguard::baseline::testdata
