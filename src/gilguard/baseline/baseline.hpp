#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gilguard/core/comparison.hpp"

namespace gilguard::baseline {

// The baseline file format this gilguard writes (docs/baseline-format.md). It also reads version 1
// (runs without machine and CPU identity: one unknown machine) and writes it back as version 2.
inline constexpr int k_schema_version = 2;

// How many runs a baseline keeps unless --max-runs says otherwise.
inline constexpr int k_default_max_runs = 10;

// What was measured: the workload and its parameters, and the thread counts seen in any run.
struct Workload {
  std::string name = "primes";     // RunParameters::workload: the workload's label
  std::int64_t range = 1'000'000;  // 0: sized in each run's warm-up (not primes)
  std::vector<int> threads;        // ascending, no repeats

  friend bool operator==(const Workload&, const Workload&) = default;
};

// One run as a baseline keeps it: its summary (provenance and one estimate per metric) and
// the per-round values behind each estimate, so a comparison can re-test them paired.
struct BaselineEntry {
  BaselineRun summary;
  std::vector<MetricSamples> per_round;  // same metrics as summary.metrics; may be empty
};

// One baseline file: the runs of one runner class and workload, oldest first.
struct Baseline {
  int schema_version = k_schema_version;
  std::string key;
  Workload workload;
  std::vector<BaselineEntry> runs;

  // The run summaries, oldest first: what the comparison consumes.
  std::vector<BaselineRun> summaries() const;
};

}  // namespace gilguard::baseline
