#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gilguard/baseline/baseline.hpp"

namespace gilguard::baseline {

// The text `gilguard baseline show` prints: per key, its file and workload, then one line per
// run (oldest first) with date, source commit, gilguard version, the free-threaded speedup at
// each thread count, the GIL speedups and the free-threaded single-thread overhead.
std::string format_baselines(const std::vector<Baseline>& baselines,
                             const std::filesystem::path& dir);

}  // namespace gilguard::baseline
