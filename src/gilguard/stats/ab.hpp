#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/stats/background.hpp"
#include "gilguard/stats/interference.hpp"

// The A/B verdict: a head pair of interpreters against a base pair measured in the same rounds
// on the same machine (`gilguard check --base-gil --base-ft`). No stored baseline: each metric is
// judged from the head/base ratios paired within rounds (docs/statistics.md, "A/B").
namespace gilguard::stats {

// The default smallest change an A/B verdict calls a regression: 2%. Pairing within rounds
// removes machine-to-machine spread, so the threshold only needs to clear what no user would
// act on; docs/evaluation.md ("A/B") gives the false alarms and detection it buys.
inline constexpr double k_default_ab_threshold = 0.02;

// How to judge.
struct AbOptions {
  double threshold = k_default_ab_threshold;
  double confidence = 0.90;  // the paired interval a verdict rests on (two-sided)
  int min_rounds = 5;        // fewer paired rounds: inconclusive
  // Free-threaded speedups at 1 < T <= this gate (the usable physical cores); 0: every T > 1.
  int max_gated_threads = 0;
  double interference_limit = k_default_interference_limit;
  // An early stop needs every gating metric decided at this confidence, after this many rounds.
  double stop_confidence = 0.99;
  int stop_min_rounds = 8;
  double background_limit =
      k_default_background_limit;  // CPUs the head may burn outside its workers
  // Whether one gating metric whose stop_confidence interval lies wholly past its regression line
  // stops the run too (off: only a clear pass of every gating metric stops it).
  bool stop_for_regression = true;
  // The interval an early stop for a regression needs wholly past the line: stricter than the
  // pass's stop_confidence, as a Haybittle-Peto interim boundary is (Jennison & Turnbull 2000,
  // sec. 2.7). An A/B run looks after every round, hundreds of times; at 99% a drop sitting on the
  // line was called a regression 5.8% of the time instead of 2.0% (docs/evaluation.md, "Early
  // stop for a regression (issue 20)"). Exact for the Walsh interval, so the far tail is sound.
  double stop_regression_confidence = 0.999;
  // Whether both flavours' single-thread times gate (--gate-single-thread): off, they are
  // information, so code under test that does more work per call does not fail a scaling check.
  bool gate_time = true;
};

// The Hodges-Lehmann estimate with its distribution-free interval: the Walsh averages of 0-based
// index c and M - 1 - c in sorted order (M = n(n+1)/2), which inverts Wilcoxon's signed-rank
// test (Hollander, Wolfe & Chicken 2014, "Nonparametric Statistical Methods", 3rd ed., sec. 3.2,
// eq. 3.21: [W_(c+1), W_(M-c)] with 1-based order statistics). Its coverage is exactly
// 1 - 2 P(W+ <= c) for continuous symmetric data; walsh_lower_index picks c. Unlike a
// bootstrap it costs one pass over the Walsh averages, which matters for an A/B run's hundreds
// of rounds judged after each one. NaN-free only for non-empty values (all zero otherwise).
struct HodgesLehmann {
  double estimate = 0;
  double low = 0;
  double high = 0;
};
HodgesLehmann hodges_lehmann_walsh(const std::vector<double>& values, double confidence);

// The 0-based index c of the lower bound of hodges_lehmann_walsh's interval for n values: the
// largest c with P(W+ <= c) <= (1 - confidence) / 2 under H0, so that the coverage
// 1 - 2 P(W+ <= c) is at least `confidence` and the interval the tightest that promises it.
// Exact (signed_rank_lower_tail) for n <= k_signed_rank_exact_max; beyond, the normal
// approximation with continuity correction, c = floor(n(n+1)/4 - z sqrt(n(n+1)(2n+1)/24) - 1/2).
// 0 (the whole range) when even P(W+ <= 0) = 2^-n is too large. Not cached: the exact table
// costs at most 50 x 1276 additions (tens of microseconds), less than the Walsh averages
// themselves, and beyond 50 values the formula is constant time.
std::size_t walsh_lower_index(int n, double confidence);

// One metric's values in the rounds where both sides have one: head[i] and base[i] come from
// the same round, measured back to back.
struct PairedSamples {
  MetricId id;
  std::vector<double> head;
  std::vector<double> base;
};

// Per metric of an A/B run's samples: the speedup t_seq / t_par of each flavour at each thread
// count above 1, and each flavour's single-thread time t_seq (from its smallest thread count),
// paired by round. Warm-up, failed samples and samples interference disturbed (for the metric at
// hand, as stats/interference decides) are left out; a round counts only when both sides have
// the value. Sorted by MetricId; a metric without a paired round is omitted.
std::vector<PairedSamples> paired_samples(const std::vector<Sample>& samples,
                                          double interference_limit = k_default_interference_limit);

// log(head[i] / base[i]) for each round with positive finite values.
std::vector<double> paired_log_ratios(const PairedSamples& paired);

// Whether the metric decides the overall verdict: the free-threaded speedups at gated thread
// counts and, with gate_time, both flavours' single-thread times (a change that slows the
// interpreter itself is a regression too); the GIL speedups are information.
bool is_gating_ab(const MetricId& id, const AbOptions& options);

// One metric, head against base: the Hodges-Lehmann estimate of the paired log ratios and its
// signed-rank interval (hodges_lehmann_walsh) give `change` and its interval. A regression when the
// whole interval lies past the threshold on the bad side (below -threshold for a speedup, above
// +threshold for a time); an improvement when it lies past it on the good side; a pass when it
// lies wholly on the good side of the regression line; else inconclusive. `current` holds the
// head's own estimate, `baseline` the base's.
MetricComparison compare_paired(const PairedSamples& paired, const AbOptions& options = {});

// Every metric of an A/B run and the overall verdict (overall_verdict's rule). Marks the
// comparison `ab`; leaves base_label, baseline_key and failed_checks to the caller.
Comparison compare_ab(const std::vector<Sample>& samples, const AbOptions& options = {});

// The stopping rule of an A/B check, the shape of measure::DecidedFn, after at least
// stop_min_rounds paired rounds: true when every gating metric's stop_confidence interval lies
// wholly on the good side of its regression line (a clear pass), or, with stop_for_regression,
// when one gating metric's stop_regression_confidence interval lies wholly past it. That interval
// contains compare_paired's at the lower `confidence`, so a stop for a regression is always
// followed by the verdict regression;
// docs/evaluation.md ("Early stop for a regression (issue 20)") measures what the early looks
// cost in false alarms.
bool may_stop_ab(const std::vector<Sample>& samples, const AbOptions& options = {});

}  // namespace gilguard::stats
