#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/error.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/stats/ab.hpp"
#include "gilguard/stats/compare.hpp"

namespace CLI {
class App;
}

namespace gilguard::cli {

// The comparison options as typed; shared by `gilguard compare` and `gilguard check`.
struct CompareSettings {
  std::string baselines_dir = "baselines";
  std::string baseline_key;  // empty: derived from the results
  std::string threshold;     // percent, as typed; empty: the default
  // --gate-single-thread: yes, no or auto (gate_single_thread decides).
  std::string gate_single_thread = "auto";
};

// Adds --baselines, --baseline-key, --threshold and --gate-single-thread to `command`.
void add_compare_options(CLI::App& command, CompareSettings& settings);

// Whether the single-thread metrics (the free-threaded overhead; an A/B run's single-thread
// times) gate a run of `workload` (its label): --gate-single-thread yes or no, or auto: yes for
// the prime workload and the built-ins, whose code is gilguard's own, so that a slower
// single thread is the interpreter's doing; no for a workload file, a user's code, whose own
// work per call may change (a package doing 3% more per call is no scaling regression). Throws a
// usage Failure naming the option for another value.
bool gate_single_thread(const CompareSettings& settings, std::string_view workload);

// The stats options the settings describe, for a run of `workload` on `machine` (gated thread
// counts up to its usable cores, the overhead gated within its CPU identity as
// gate_single_thread says); throws a usage Failure naming --threshold when it is not a
// percentage.
stats::CompareOptions to_compare_options(const CompareSettings& settings,
                                         const MachineFacts& machine, std::string_view workload);

// The A/B options the settings describe (--threshold, defaulting to the A/B threshold; the
// single-thread times gated as gate_single_thread says).
stats::AbOptions to_ab_options(const CompareSettings& settings, const MachineFacts& machine,
                               std::string_view workload);

// The baseline a run is compared with: its key and its history of runs (empty when none).
struct LoadedBaseline {
  std::string key;
  std::vector<BaselineRun> history;
};

// Loads the baseline for `run`: the key is --baseline-key when given (validated), else derived
// from the run's machine, interpreters and workload (baseline::derive_key). An A/B run, which
// compares head with base, gets the key alone, naming its comparison in the reports and the
// sticky comment; no file is read. Throws a usage Failure naming the file when it is invalid or
// holds another workload.
LoadedBaseline load_baseline(const RunResult& run, const CompareSettings& settings);

// Compares `run` with `baseline`, or an A/B run's head with its base (stats::compare_ab): the
// per-metric verdicts, the overall verdict, the key, the
// baseline path and the run's failed checks (measure::recheck_failures: those it records and
// those its samples show).
Comparison compare_run(const RunResult& run, const CompareSettings& settings,
                       const LoadedBaseline& baseline);

// load_baseline, then compare_run.
Comparison compare_run(const RunResult& run, const CompareSettings& settings);

// Exit code for a comparison: 1 for a regression or a failed check, else 0.
ExitCode exit_code_for(const Comparison& comparison);

// The terminal report, coloured when stdout is a terminal and NO_COLOR is unset.
std::string terminal_report(const Comparison& comparison, const RunResult* run,
                            const std::string& results_path, const std::string& comparison_path,
                            const std::string& baselines_dir);

}  // namespace gilguard::cli
