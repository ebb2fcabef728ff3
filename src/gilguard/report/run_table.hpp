#pragma once

#include <map>
#include <string>

#include "gilguard/core/run_result.hpp"

namespace gilguard::report {

// Extra facts for the table that are not part of the results JSON.
struct RunTableOptions {
  // Thread count -> the speedup the workload's contiguous split allows at best (per-chunk work);
  // shown in a "split bound" column when given.
  std::map<int, double> split_bound;
};

// The readable end-of-run table `gilguard run` prints on stdout: one row per cell (median
// times, speedup, efficiency, load imbalance), then the free-threaded single-thread overhead,
// the machine, and the failed checks if any.
std::string render_run_table(const RunResult& result, const RunTableOptions& options = {});

}  // namespace gilguard::report
