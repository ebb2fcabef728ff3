#pragma once

#include <optional>
#include <vector>

#include "gilguard/core/run_result.hpp"

namespace gilguard::measure {

// max / mean of one child's per-thread times; 1 for a perfectly balanced run, 0 without data.
double load_imbalance(const std::vector<double>& thread_times);

// One summary per cell, in the order of `cells`, over the ok samples of the measured rounds
// (round >= 1): median speedup, efficiency, median load imbalance, median times.
std::vector<CellSummary> summarize_cells(const std::vector<Cell>& cells,
                                         const std::vector<Sample>& samples);

// Median over measured rounds of t_seq(ft) / t_seq(gil), pairing the two flavours' samples of
// the same round at one thread (or the smallest thread count measured when 1 is not); nullopt
// when no round has both.
std::optional<double> ft_overhead(const std::vector<Sample>& samples);

}  // namespace gilguard::measure
