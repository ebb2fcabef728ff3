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
  std::string workload = "primes";   // --workload: primes, builtin:NAME or FILE.py[:FUNCTION]
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
// --workload file that cannot be read included). A workload other than primes without --range
// gets range 0: the warm-up sizes it.
measure::RunRequest to_run_request(const RunOptions& options);

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
