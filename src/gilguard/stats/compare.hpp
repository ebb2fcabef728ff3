#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/stats/background.hpp"
#include "gilguard/stats/bootstrap.hpp"
#include "gilguard/stats/interference.hpp"
#include "gilguard/stats/prediction.hpp"
#include "gilguard/stats/stopping.hpp"

// The verdict: this run's per-round samples against a baseline's history of runs
// (docs/statistics.md explains the method and its defaults).
namespace gilguard::stats {

// The threshold `--threshold` defaults to: 5%.
inline constexpr double k_default_threshold = 0.05;
// The default two-sided confidence of a run's interval (what a baseline stores, too).
inline constexpr double k_default_confidence = 0.90;
// The default two-sided confidence of the baseline's run-to-run prediction interval.
inline constexpr double k_default_prediction_confidence = 0.99;
// Machine-to-machine spread of each kind of metric (standard deviation of one run's log
// estimate between machines of one class; docs/evaluation.md, "Across machines"): part of the
// prior of a baseline's prediction spread (k_default_prior_df), whatever machines its runs
// came from.
// - raw speedup: 0.065, the sd of the means of machines A, B and C;
// - speedup against processes: 0.02, provisional: only machine C has measured it (its runs'
//   sd 0.012 within a sitting, and the sd of its three sittings' means over three hours 0.016);
//   machine B's threads/processes ratio ranged 0.97-1.02;
// - overhead, compared within one CPU identity only: 0.045, the sd of machine C's three
//   sittings' means over three hours (1.16x, 1.18x, 1.09x): one machine moved that much, so
//   machines of one CPU cannot be expected to move less (within a sitting 0.004-0.041).
inline constexpr double k_machine_spread_relative = 0.02;
inline constexpr double k_machine_spread_speedup = 0.065;
inline constexpr double k_machine_spread_overhead = 0.045;
// The weight, in runs' degrees of freedom, of the prior variance f^2 + m^2 (within-run floor plus
// the machine spread above) when it is pooled with a baseline's own run-to-run variance
// (PredictionOptions::prior_df). Each m above is the sd of three means (three machines, or three
// sittings of one machine): a variance estimate with 2 degrees of freedom, so the prior may count
// for no more than 2 runs' worth. Smaller would let three runs from one sitting (or three fresh
// VMs whose boot_ids make them "three machines") forget most of the machine spread at once;
// larger would keep 10 runs from ever ruling their own spread. With K runs the machine term's
// share of the pooled variance is 2 / (K + 1): all of it at K <= 2 (the short-history rule),
// half at 3 runs, 18% at 10.
inline constexpr double k_default_prior_df = 2;

// Ends the explanation of a single-thread metric (the overhead, an A/B run's times) that
// --gate-single-thread made information.
inline constexpr std::string_view k_single_thread_info =
    " Single-thread time does not gate this check (--gate-single-thread; by "
    "default it gates the prime and built-in workloads, not a workload file, whose own work per "
    "call may change).";

// How to judge.
struct CompareOptions {
  double threshold = k_default_threshold;    // smallest change that matters, as a fraction
  double confidence = k_default_confidence;  // this run's interval (and the rank test's level)
  // The baseline's run-to-run prediction interval.
  double prediction_confidence = k_default_prediction_confidence;
  // Confidence at which the baseline's stored run intervals were made (summarize's default).
  double baseline_interval_confidence = k_default_confidence;
  int short_history = 2;                 // PredictionOptions::short_history
  double prior_df = k_default_prior_df;  // PredictionOptions::prior_df
  double prior_drift = 0;                // PredictionOptions::prior_drift
  double min_spread = 0.005;             // PredictionOptions::min_spread
  int min_rounds = 5;                    // fewer measured rounds: inconclusive
  // A regression (improvement) also needs the exact one-sided signed-rank test of the rounds
  // against the regression (improvement) line at level (1 - confidence) / 2.
  bool rank_test = true;
  int resamples = 4000;
  std::uint64_t seed = k_default_seed;
  // Free-threaded speedups at 1 < T <= max_gated_threads gate the run (the usable CPUs); larger
  // T and all GIL speedups are information only. 0: every T > 1 gates.
  int max_gated_threads = 0;
  // The free-threaded single-thread overhead gates (same CPU); --gate-single-thread.
  bool gate_overhead = true;
  // This run's CPU identity (CpuIdentity::key). The overhead depends on the CPU, so it gates
  // only against baseline runs with the same identity; with none it is information.
  std::string cpu_key;
  // Samples that lost more than this fraction of a timed region to interference are set aside.
  double interference_limit = k_default_interference_limit;
  // Each metric kind's machine-to-machine spread (log scale): with the within-run floor, the
  // prior of a baseline's prediction spread.
  double machine_spread_relative = k_machine_spread_relative;
  double machine_spread_speedup = k_machine_spread_speedup;
  double machine_spread_overhead = k_machine_spread_overhead;
  // Whether the raw free-threaded speedups gate. compare() turns this on only for runs without
  // the process reference (results of schema 1); otherwise the relative metric gates.
  bool gate_raw_speedup = false;
  double stop_precision = 0.025;  // StoppingOptions::precision, for runs without a baseline
  // The interval an early stop must show clear of the line: stricter than `confidence`, as
  // early looks of a group-sequential design need stronger evidence than the final one.
  double stop_confidence = 0.99;
  int stop_min_rounds = 8;  // StoppingOptions::min_rounds
  // CPUs the code under test may burn outside its timed workers (stats/background).
  double background_limit = k_default_background_limit;
  // Whether one gating metric past the regression boundary (StoppingTarget::regression_line)
  // stops the run early, as well as every gating metric clear of it (off: only passes stop).
  bool stop_for_regression = true;
  // StoppingOptions::regression_confidence: the early regression stop's rank test rejects at
  // (1 - this) / 2.
  double stop_regression_confidence = 0.999;
};

// Whether the metric decides the overall verdict under these options: the free-threaded
// relative speedup (threads against processes) at gated thread counts, the overhead, and the
// raw free-threaded speedup only when gate_raw_speedup. compare_metric further makes the
// overhead information when no baseline run shares this run's CPU.
bool is_gating(const MetricId& id, const CompareOptions& options);

// Distinct machines among the runs (runs without a machine identity count as one machine).
int machine_count(const std::vector<BaselineRun>& runs);

// The baseline runs a metric is compared with: those that hold it and, for the overhead, whose
// CPU identity equals options.cpu_key (an unknown identity, empty, equals only another unknown
// one). When no run of this CPU holds the overhead, the runs of other CPUs, marked other_cpus:
// the overhead is then information, and their machine spread always applies.
struct MetricHistory {
  std::vector<BaselineRun> runs;
  bool other_cpus = false;
};
MetricHistory metric_history(const MetricId& id, const std::vector<BaselineRun>& history,
                             const CompareOptions& options);

// Speedups are better higher; the overhead is better lower.
bool higher_is_better(const MetricId& id);

// "free-threaded speedup at 4 threads", "GIL speedup at 2 threads", "free-threaded
// single-thread overhead": the metric in words, for explanations.
std::string describe(const MetricId& id);

// The per-round values of every metric in a run's samples: for each flavour and thread count
// T > 1, the speedup t_seq / t_par of each measured round's ok sample of that cell; and the
// free-threaded overhead t_seq(ft) / t_seq(gil) of each round that has both flavours' ok samples
// at one thread (at the smallest thread count with such a pair when 1 was not measured, as
// measure::ft_overhead does). Warm-up round 0 and failed samples are left out. Sorted by MetricId;
// a metric with no usable round is omitted.
// Since schema 2 also the relative speedup t_ref / t_par of cells with a process reference; each
// value is left out where interference disturbed what it rests on (disturbs_sequential,
// disturbs_speedup, disturbs_relative at `interference_limit`).
std::vector<MetricSamples> metric_samples(const std::vector<Sample>& samples,
                                          double interference_limit = k_default_interference_limit);

// The log values of the positive finite entries of samples.values (others are skipped).
std::vector<double> log_values(const MetricSamples& samples);

// One run's estimate of a metric, as a baseline stores it: the Hodges-Lehmann estimate of the
// log values and its bootstrap interval at `confidence`, back on the ratio scale.
Estimate summarize(const MetricSamples& samples, double confidence = k_default_confidence,
                   int resamples = 4000, std::uint64_t seed = k_default_seed);

// The history's estimates of one metric on the log scale, skipping runs without it.
std::vector<RunEstimate> history_of(const MetricId& id, const std::vector<BaselineRun>& history);

// Where the next run of this metric should fall, from its metric_history (nullopt without one, or
// when only other CPUs' runs hold the overhead): predict_next_run with the metric kind's machine
// spread in the prior.
std::optional<PredictionInterval> baseline_prediction(const MetricId& id,
                                                      const std::vector<BaselineRun>& history,
                                                      const CompareOptions& options);

// The stopping target of one metric: the log of its pass line when it has a baseline and, with
// stop_for_regression, the regression line and the prediction interval's bad edge.
StoppingTarget stopping_target(const MetricId& id, const std::vector<BaselineRun>& history,
                               const CompareOptions& options);

// The `--time-budget` callback: true when every gating metric is decided (stats::decision), so
// the run may stop before its budget: at least stop_min_rounds rounds, and the stop_confidence
// interval wholly clear of the pass line (without a baseline: the `confidence` interval within
// +-stop_precision); or, with stop_for_regression, when one gating metric is past the regression
// boundary, which makes compare()'s overall verdict a regression. With no gating metric, true
// once every metric has stop_min_rounds rounds.
bool may_stop(const std::vector<MetricSamples>& current, const std::vector<BaselineRun>& history,
              const CompareOptions& options = {});

// may_stop on the samples measured so far: the shape of measure::DecidedFn, so the runner can call
// it after each round.
bool may_stop(const std::vector<Sample>& samples, const std::vector<BaselineRun>& history,
              const CompareOptions& options = {});

// One metric against its baseline history: verdict, numbers and a one-sentence explanation.
MetricComparison compare_metric(const MetricSamples& current,
                                const std::vector<BaselineRun>& history,
                                const CompareOptions& options = {});

// The overall verdict from the per-metric ones: regression if any gating metric regressed; else
// inconclusive if any gating metric is; else improvement if any gating metric improved; else
// pass; no-baseline when no gating metric has a baseline (information metrics alone check
// nothing; with no gating metric at all, their pass stands).
Verdict overall_verdict(const std::vector<MetricComparison>& metrics);

// Every metric of this run against the history, and the overall verdict. Leaves baseline_key,
// baseline_path and failed_checks for the caller to fill in.
Comparison compare(const std::vector<MetricSamples>& current,
                   const std::vector<BaselineRun>& history, const CompareOptions& options = {});

// compare() on a run's samples: metric_samples at options.interference_limit, the interference
// summary, and an explanation naming the interference for every gating metric it left short of
// rounds.
Comparison compare_samples(const std::vector<Sample>& samples,
                           const std::vector<BaselineRun>& history,
                           const CompareOptions& options = {});

}  // namespace gilguard::stats
