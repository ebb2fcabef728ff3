#pragma once

#include <string>

#include "gilguard/bench/run_benchmark.hpp"

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
};

// Adds --gil, --ft, --threads, --range, --rounds, --time-budget and --seed to `command`.
// --gil/--ft are marked required when `interpreters_required`.
void add_run_options(CLI::App& command, RunOptions& options, bool interpreters_required);

// The request the options describe; throws a usage Failure (exit 2) naming the bad option.
bench::RunRequest to_run_request(const RunOptions& options);

// "gilguard: round 2 of 6, ~45 s left" on stderr.
void print_progress(const bench::RoundProgress& progress);

}  // namespace gilguard::cli
