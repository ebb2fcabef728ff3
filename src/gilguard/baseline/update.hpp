#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gilguard/baseline/baseline.hpp"
#include "gilguard/core/error.hpp"
#include "gilguard/core/run_result.hpp"

namespace gilguard::baseline {

// The summary a baseline keeps for one run: provenance (source commit, date, gilguard
// version, interpreter versions and configure args, CPU model), the per-round values of every
// metric (stats::metric_samples) and their estimates (stats::summarize: Hodges-Lehmann of the
// log values with a bootstrap interval, on the ratio scale).
BaselineEntry entry_from_results(const RunResult& result);

// The workload a run measured.
Workload workload_of(const RunResult& result);

// Fails when `results` measured another workload (name or range) than `baseline` holds; the
// message names both keys and the fix (--baseline-key or the right --baselines directory).
Expected<void> check_results_match(const Baseline& baseline, const RunResult& results);

// True when `baseline` already holds the run `entry` was made from: the same date (the run's
// started_at), source commit and per-round values (as the file keeps them, to 6 significant
// digits), so adding the same results file twice cannot count one run twice.
bool holds_run(const Baseline& baseline, const BaselineEntry& entry);

// `existing` with `entry` appended as the newest run and the oldest dropped beyond `max_runs`;
// a new baseline for `key` when there is none or `reset` is set. The thread counts of the
// workload become the union over the runs kept.
Baseline add_run(std::optional<Baseline> existing, const std::string& key, const Workload& workload,
                 BaselineEntry entry, int max_runs, bool reset);

// The commit message for a baseline update: the key and the source commit in the subject,
// then the source commit in full, the gilguard version, the run count and the files.
std::string commit_message(const Baseline& baseline, const Provenance& source, bool reset,
                           const std::vector<std::string>& files);

}  // namespace gilguard::baseline
