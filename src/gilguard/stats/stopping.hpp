#pragma once

#include <optional>
#include <vector>

#include "gilguard/stats/bootstrap.hpp"

// The stopping rule behind `--time-budget`: after each round, may the run stop early?
//
// A run stops early when every gating metric is a clear pass (or, without a baseline, is
// precise enough), or when one gating metric is a clear regression; a run that cannot yet tell
// goes on to the end of its budget. Both boundaries ask for more than the final verdict does,
// in the spirit of the early boundaries of O'Brien & Fleming (1979, "A multiple testing
// procedure for clinical trials", Biometrics 35(3)) and of Haybittle-Peto's fixed strict
// interim boundary (Jennison & Turnbull 2000, "Group Sequential Methods with Applications to
// Clinical Trials", ch. 2 and 10):
// - a pass: the stop_confidence (99%) interval wholly clear of the pass line, after 8 rounds
//   (a pass at an early look cannot add false alarms, but it costs power; the strict interval
//   keeps that loss small);
// - a regression: the 99% interval wholly past the regression line and, against a stored
//   baseline, the estimate past the prediction interval's bad edge and the exact signed-rank
//   test against the line at (1 - 0.999) / 2 (so at least 11 rounds), after 8 rounds. Each of
//   these implies the corresponding condition of the final verdict (90% interval, rank test at
//   5%), so a stop for a regression is always followed by the verdict "regression". The early
//   looks do spend alpha: at each, a metric that sits exactly on the regression line crosses
//   the boundary with chance <= 0.05%, a Haybittle-Peto boundary (Jennison & Turnbull, sec.
//   2.7). docs/evaluation.md ("Early stop for a regression (issue 20)") measures the false
//   alarms this adds on A/A rounds and at the line itself, and the time it saves on drops.
namespace gilguard::stats {

// What one gating metric must show, log scale.
struct StoppingTarget {
  // The log value the whole interval must clear for a pass: the regression line (baseline x
  // (1 - threshold) for a speedup, x (1 + threshold) for an overhead); nullopt without a
  // baseline.
  std::optional<double> pass_line;
  bool higher_is_better = true;  // speedup: true; overhead: false
  // The log value the whole interval must lie past for an early stop for a regression: the
  // regression line; nullopt: no early regression stop (no baseline).
  std::optional<double> regression_line = std::nullopt;
  // Against a stored baseline, the edge of its prediction interval on the bad side (the low
  // bound for a speedup, the high bound for an overhead) that the estimate must lie past, and
  // the signed-rank test against the regression line must reject; nullopt (A/B): neither.
  std::optional<double> prediction_edge = std::nullopt;
};

// What one metric's rounds decide so far.
enum class Decision {
  undecided,   // go on
  pass,        // clear of the pass line at the stop interval
  regression,  // past the regression line at the stop boundary: the verdict will be regression
  precise,     // no baseline, and the interval is narrow enough for a first baseline entry
};

// When a run has seen enough.
struct StoppingOptions {
  int min_rounds = 5;  // never stop with fewer measured rounds
  // Without a baseline: stop when the interval's half-width on the log scale is at most this
  // (0.025 ~ +-2.5%), so that the run makes a useful first baseline entry.
  double precision = 0.025;
  BootstrapOptions bootstrap;  // the interval to judge by
  // The early regression stop's signed-rank test rejects at (1 - this) / 2: a Haybittle-Peto
  // interim boundary (Jennison & Turnbull 2000, sec. 2.7), stricter than the 99% interval, as
  // the run looks after every round. Exact, unlike a bootstrap's far tail of 4000 resamples.
  double regression_confidence = 0.999;
};

// What these rounds decide for one metric, with at least min_rounds values and the Hodges-
// Lehmann bootstrap interval at options.bootstrap.confidence: `pass` when it lies wholly on the
// good side of the pass line (a clear pass, as compare_metric would call it); `regression` when
// it lies wholly past the regression line, the estimate past the prediction edge and the exact
// signed-rank test against the line rejects at (1 - options.regression_confidence) / 2 (all
// stricter than compare_metric's regression rule with a lower confidence); without a baseline,
// `precise` when the interval is narrower than the precision target.
Decision decision(const std::vector<double>& log_values, const StoppingTarget& target,
                  const StoppingOptions& options = {});

// True when decision() is anything but undecided.
bool decided(const std::vector<double>& log_values, const StoppingTarget& target,
             const StoppingOptions& options = {});

}  // namespace gilguard::stats
