#pragma once

#include <optional>
#include <vector>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/stats/bootstrap.hpp"
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

// How to judge.
struct CompareOptions {
  double threshold = k_default_threshold;    // smallest change that matters, as a fraction
  double confidence = k_default_confidence;  // this run's interval (and the rank test's level)
  // The baseline's run-to-run prediction interval.
  double prediction_confidence = k_default_prediction_confidence;
  // Confidence at which the baseline's stored run intervals were made (summarize's default).
  double baseline_interval_confidence = k_default_confidence;
  int short_history = 2;      // PredictionOptions::short_history
  double prior_df = 2;        // PredictionOptions::prior_df
  double prior_drift = 0;     // PredictionOptions::prior_drift
  double min_spread = 0.005;  // PredictionOptions::min_spread
  int min_rounds = 5;         // fewer measured rounds: inconclusive
  // A regression (improvement) also needs the exact one-sided signed-rank test of the rounds
  // against the regression (improvement) line at level (1 - confidence) / 2.
  bool rank_test = true;
  int resamples = 4000;
  std::uint64_t seed = k_default_seed;
  // Free-threaded speedups at 1 < T <= max_gated_threads gate the run (the usable CPUs); larger
  // T and all GIL speedups are information only. 0: every T > 1 gates.
  int max_gated_threads = 0;
  bool gate_overhead = true;      // the free-threaded single-thread overhead gates
  double stop_precision = 0.025;  // StoppingOptions::precision, for runs without a baseline
  // The interval an early stop must show clear of the line: stricter than `confidence`, as
  // early looks of a group-sequential design need stronger evidence than the final one.
  double stop_confidence = 0.99;
  int stop_min_rounds = 8;  // StoppingOptions::min_rounds
};

// Whether the metric decides the overall verdict under these options.
bool is_gating(const MetricId& id, const CompareOptions& options);

// Speedups are better higher; the overhead is better lower.
bool higher_is_better(const MetricId& id);

// "free-threaded speedup at 4 threads", "GIL speedup at 2 threads", "free-threaded
// single-thread overhead": the metric in words, for explanations.
std::string describe(const MetricId& id);

// The per-round values of every metric in a run's samples: for each flavour and thread count
// T > 1, the speedup t_seq / t_par of each measured round's ok sample of that cell; and the
// free-threaded overhead t_seq(ft) / t_seq(gil) of each round that has both flavours' ok samples
// at one thread (at the smallest thread count with such a pair when 1 was not measured, as
// bench::ft_overhead does). Warm-up round 0 and failed samples are left out. Sorted by MetricId;
// a metric with no usable round is omitted.
std::vector<MetricSamples> metric_samples(const std::vector<Sample>& samples);

// The log values of the positive finite entries of samples.values (others are skipped).
std::vector<double> log_values(const MetricSamples& samples);

// One run's estimate of a metric, as a baseline stores it: the Hodges-Lehmann estimate of the
// log values and its bootstrap interval at `confidence`, back on the ratio scale.
Estimate summarize(const MetricSamples& samples, double confidence = k_default_confidence,
                   int resamples = 4000, std::uint64_t seed = k_default_seed);

// The history's estimates of one metric on the log scale, skipping runs without it.
std::vector<RunEstimate> history_of(const MetricId& id, const std::vector<BaselineRun>& history);

// Where the next run of this metric should fall, from the history; nullopt without history.
std::optional<PredictionInterval> baseline_prediction(const MetricId& id,
                                                      const std::vector<BaselineRun>& history,
                                                      const CompareOptions& options);

// The stopping target of one metric: the log of its regression line when it has a baseline.
StoppingTarget stopping_target(const MetricId& id, const std::vector<BaselineRun>& history,
                               const CompareOptions& options);

// The `--time-budget` callback: true when every gating metric is decided (stats::decided), so
// the run may stop before its budget: at least stop_min_rounds rounds, and the stop_confidence
// interval wholly clear of the pass line (without a baseline: the `confidence` interval within
// +-stop_precision). With no gating metric, true once every metric has stop_min_rounds rounds.
bool may_stop(const std::vector<MetricSamples>& current, const std::vector<BaselineRun>& history,
              const CompareOptions& options = {});

// may_stop on the samples measured so far: the shape of bench::DecidedFn, so the runner can call
// it after each round.
bool may_stop(const std::vector<Sample>& samples, const std::vector<BaselineRun>& history,
              const CompareOptions& options = {});

// One metric against its baseline history: verdict, numbers and a one-sentence explanation.
MetricComparison compare_metric(const MetricSamples& current,
                                const std::vector<BaselineRun>& history,
                                const CompareOptions& options = {});

// The overall verdict from the per-metric ones: regression if any gating metric regressed; else
// inconclusive if any gating metric is; else improvement if any gating metric improved; else
// pass; no-baseline when no metric has a baseline (a baseline held only by information metrics
// gives pass).
Verdict overall_verdict(const std::vector<MetricComparison>& metrics);

// Every metric of this run against the history, and the overall verdict. Leaves baseline_key,
// baseline_path and failed_checks for the caller to fill in.
Comparison compare(const std::vector<MetricSamples>& current,
                   const std::vector<BaselineRun>& history, const CompareOptions& options = {});

}  // namespace gilguard::stats
