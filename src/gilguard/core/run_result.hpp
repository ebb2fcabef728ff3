#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gilguard/core/interpreter.hpp"

namespace gilguard {

// Results files carry this; readers reject other values.
inline constexpr int k_results_schema_version = 1;

// One measured configuration: a flavour at a thread count.
struct Cell {
  Flavor flavor = Flavor::gil;
  int threads = 1;
  bool gated = true;  // false when threads exceed the usable CPUs: reported, never gated

  friend bool operator==(const Cell&, const Cell&) = default;
};

// One child process's measurement of one cell in one round.
struct Sample {
  int round = 0;     // 0 is the warm-up, discarded from summaries
  int position = 0;  // place of this cell in the round's random order
  Cell cell;
  bool seq_first = true;  // whether the sequential run went first in the child
  bool ok = false;        // false: see failure
  double t_seq = 0;       // seconds, time.perf_counter inside the child
  double t_par = 0;
  std::vector<double> thread_times;  // per worker thread, seconds
  std::int64_t count_seq = 0;
  std::int64_t count_par = 0;
  std::optional<bool> gil_enabled;    // sys._is_gil_enabled() at the end of the child
  std::vector<std::string> warnings;  // RuntimeWarnings seen (module re-enabled the GIL, ...)
  std::string failure;                // why the sample is not ok: exit status, signal, stderr tail
  double wall_seconds = 0;            // the whole child process, start to reap

  // t_seq / t_par.
  double speedup() const { return t_par > 0 ? t_seq / t_par : 0; }
};

// Per-cell summary over the measured (non-warm-up, ok) rounds.
struct CellSummary {
  Cell cell;
  int rounds = 0;
  double median_speedup = 0;
  double efficiency = 0;      // median_speedup / threads
  double load_imbalance = 0;  // median over rounds of max/mean per-thread time
  double median_t_seq = 0;
  double median_t_par = 0;
};

// The machine a run happened on.
struct MachineFacts {
  std::string cpu_model;
  int logical_cpus = 0;
  int usable_cpus = 0;
  std::string os;      // "linux"
  std::string arch;    // "x86_64"
  std::string kernel;  // uname -r
  std::array<double, 3> load_start{};
  std::array<double, 3> load_end{};
};

// What was asked for.
struct RunParameters {
  std::string workload = "primes";
  std::int64_t range = 1'000'000;
  std::vector<int> threads;  // thread counts measured (1 always among them)
  int rounds = 0;            // measured rounds, warm-up excluded
  double time_budget = 0;    // seconds; 0 when --rounds was given
  std::uint64_t seed = 0;
  std::int64_t expected_count = 0;  // primes in [1, range), computed by gilguard
};

// A failed check: wrong count, crashed child, GIL on in the free-threaded flavour, ...
struct CheckFailure {
  std::string kind;     // "wrong-count", "crash", "timeout", "gil-enabled", "wrong-flavor"
  std::string message;  // what happened and what to do
};

// Everything `gilguard run` measured: the results JSON, in memory.
struct RunResult {
  int schema_version = k_results_schema_version;
  std::string gilguard_version;
  std::string started_at;  // ISO 8601 UTC
  MachineFacts machine;
  InterpreterFacts gil;
  InterpreterFacts ft;
  RunParameters parameters;
  std::vector<Sample> samples;
  std::vector<CellSummary> summaries;
  // Median over rounds of t_seq(ft) / t_seq(gil) at one thread, paired within each round.
  double ft_overhead = 0;
  std::vector<CheckFailure> failures;
  std::string source_commit;  // GITHUB_SHA or HEAD of the working directory, when known
};

}  // namespace gilguard
