#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gilguard/measure/run_benchmark.hpp"
#include "gilguard/util/process.hpp"
#include "gilguard/workload/primes.hpp"

namespace CLI {
class App;
}

namespace gilguard::cli {

// The benchmark options as typed, validated by to_run_request (so every message names the
// option and the fix). Shared by `gilguard run` and `gilguard check`.
struct RunOptions {
  std::string gil;
  std::string ft;
  std::string threads = "auto";
  std::string range;
  std::string rounds;
  std::string time_budget;
  std::string seed;
  std::vector<std::string> imports;  // --import, each possibly a comma-separated list
  // --workload: primes, builtin:NAME or FILE.py[:FUNCTION][[PARAMS]]
  std::string workload = "primes";
  // A/B: the base pair measured beside the head, and its name in reports.
  std::string base_gil;
  std::string base_ft;
  std::string base_label;
  std::string repeats;  // A/B only: sequential/threaded pairs per child
  // What the options default to when not given; `gilguard check` has its own.
  std::int64_t default_range = workload::k_default_range;
  double default_time_budget = 0;  // > 0: a time budget instead of measure::k_default_rounds
};

// Adds --gil, --ft, --threads, --range, --rounds, --time-budget, --seed, --import, --workload
// and the A/B options --base-gil, --base-ft, --base-label, --repeats to `command`, their help
// naming the defaults set in `options`.
// --gil/--ft are marked required when `interpreters_required`.
void add_run_options(CLI::App& command, RunOptions& options, bool interpreters_required);

// The request the options describe; throws a usage Failure (exit 2) naming the bad option (a
// --workload file that cannot be read included, and a file of several benchmarks: benchmarks_of
// splits it first). A workload that sizes its range gets range 0 without --range: the warm-up
// sizes it.
measure::RunRequest to_run_request(const RunOptions& options);

// One workload of a command line: the --workload text to measure and, when the file given
// holds several benchmarks, the benchmark's name (empty otherwise).
struct Benchmark {
  std::string workload;
  std::string name;
};

// The workloads `workload` (--workload) names: itself, or, for FILE.py without a function in a
// file without `workload()` that defines several bench_* functions, FILE.py:NAME for each of
// them in the file's order (each measured as its own workload: its own results, baseline key
// and comparison). Throws a usage Failure when the file cannot be read.
std::vector<Benchmark> benchmarks_of(const std::string& workload);

// `path` for the benchmark `name` of several: "r.json" -> "r.bench_a.json" ("r" ->
// "r.bench_a"); `path` itself when `name` is empty or `path` is a character device or FIFO
// (written in place, every benchmark after the other).
std::string path_for_benchmark(const std::string& path, const std::string& name);

// The commit a run measures: GITHUB_SHA inside Actions, else the HEAD of the git work tree
// containing the current directory, else empty (not in a repository).
std::string source_commit_of(const util::Environment& env);

// "gilguard: round 2 of 6, ~45 s left" on stderr.
void print_progress(const measure::RoundProgress& progress);

// "gilguard: --import numpy: the GIL stays disabled" (or what went wrong) on stderr, with a
// warning when sys.flags.gil was set and hid modules that need the GIL.
void print_import(const ImportCheck& check);

// A warning on stderr when gilguard's own PYTHON_GIL is set: it is passed on as -X gil, and then
// CPython neither warns about nor switches on the GIL for a module that needs it.
void warn_about_gil_override(const util::Environment& env);

}  // namespace gilguard::cli
