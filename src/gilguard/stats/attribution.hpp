#pragma once

#include <optional>
#include <vector>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/stats/interference.hpp"

// Where the lost time went (issue 23): the threads' loss against the processes on the same
// chunks and CPUs, log(t_par / t_ref), split into more CPU per item, time off the CPU and time
// the machine took, exactly in each round (docs/statistics.md, "Where the lost time went").
namespace gilguard::stats {

// One round's split from a sample with the process reference and the readings of both regions
// (worker CPU and run-queue delay, since issue 21): the parts sum to log(t_par / t_ref) exactly.
// nullopt when the sample lacks them.
std::optional<LossSplit> round_split(const Sample& sample);

// Each part's median over `splits` (rounds: how many); nullopt when there are none.
std::optional<LossSplit> median_split(const std::vector<LossSplit>& splits);

// The split of a speedup against processes (MetricKind::relative) over the rounds its estimate
// rests on: the head's measured ok samples of that flavour and thread count that interference
// did not set aside (`interference_limit`, as metric_samples). nullopt for other metrics.
std::optional<LossSplit> metric_split(const std::vector<Sample>& samples, const MetricId& id,
                                      double interference_limit = k_default_interference_limit);

// A cell's split over every measured ok round, disturbed ones included (the results' summary:
// what happened, where the comparison's split says what its verdict rests on).
std::optional<LossSplit> cell_split(const std::vector<Sample>& samples, const Cell& cell);

// The baseline's split of a metric: each part's median over the runs that recorded one; nullopt
// when none did (baselines before issue 23).
std::optional<LossSplit> baseline_split(const MetricId& id, const std::vector<BaselineRun>& runs);

// Fills each speedup against processes of `comparison` with this run's split (metric_split) and
// the baseline's (baseline_split).
void attach_splits(Comparison& comparison, const std::vector<Sample>& samples,
                   const std::vector<BaselineRun>& history, double interference_limit);

}  // namespace gilguard::stats
