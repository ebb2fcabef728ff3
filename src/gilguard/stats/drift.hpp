#pragma once

#include <vector>

#include "gilguard/core/comparison.hpp"
#include "gilguard/stats/compare.hpp"

// Drift of a baseline across its kept runs. A baseline folds every accepted run into a moving
// window (baseline update, at most 10 runs), and the verdict compares a run with the window's
// mean; a run 3% slower passes, and so does the next one against the mean it moved. Comparing
// the window's two ends shows what those steps added up to.
namespace gilguard::stats {

// How many of the newest and of the oldest runs are averaged: 3, enough to average out one run's
// wobble (a run's estimate moves by ~1-3% between runs), few enough that both groups fit in a
// window of 6 or more runs without sharing one.
inline constexpr int k_drift_runs = 3;

// The gating metrics (is_gating, with the raw speedup gating when no run has the speedup against
// processes; every thread count above 1) whose mean log estimate over the newest `runs` runs that
// hold it lies past the threshold, on the bad side, from that over the oldest `runs`: newest /
// oldest < 1 - threshold for a speedup, > 1 + threshold for the overhead. The overhead is
// compared only among runs of the newest run's CPU identity. A metric held by fewer than
// 2 * `runs` runs is not judged (the groups would overlap). Oldest runs first, as a baseline
// keeps them; sorted by MetricId.
std::vector<BaselineDrift> baseline_drift(const std::vector<BaselineRun>& runs,
                                          const CompareOptions& options = {},
                                          int runs_per_group = k_drift_runs);

}  // namespace gilguard::stats
