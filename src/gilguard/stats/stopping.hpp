#pragma once

#include <optional>
#include <vector>

#include "gilguard/stats/bootstrap.hpp"

// The stopping rule behind `--time-budget`: after each round, may the run stop early?
//
// Only a clear pass (or, without a baseline, a precise enough estimate) stops a run early; a run
// that looks like a regression, or cannot yet tell, goes on to the end of its budget. Early stops
// therefore only ever end runs whose verdict at that moment is not "regression", so repeated
// looks cannot add false alarms: P(regression reported) <= P(regression at the full budget). This
// is the one-sided "stop for futility only" design of group-sequential testing (Jennison &
// Turnbull 2000, "Group Sequential Methods with Applications to Clinical Trials", ch. 10),
// with the roles of success and failure as a regression check needs them; it spends no alpha on
// the early looks, unlike O'Brien-Fleming (1979) or Lan-DeMets (1983) boundaries, which would be
// needed to stop early FOR a regression. Like O'Brien-Fleming's early boundaries, though, an
// early pass asks for more than the final verdict (compare.hpp: a 99% interval, 8 rounds), which
// keeps the loss of power from stopping a real drop as a pass small.
namespace gilguard::stats {

// What one gating metric must show, log scale.
struct StoppingTarget {
  // The log value the whole interval must clear for a pass: the regression line (baseline x
  // (1 - threshold) for a speedup, x (1 + threshold) for an overhead); nullopt without a
  // baseline.
  std::optional<double> pass_line;
  bool higher_is_better = true;  // speedup: true; overhead: false
};

// When a run has seen enough.
struct StoppingOptions {
  int min_rounds = 5;  // never stop with fewer measured rounds
  // Without a baseline: stop when the interval's half-width on the log scale is at most this
  // (0.025 ~ +-2.5%), so that the run makes a useful first baseline entry.
  double precision = 0.025;
  BootstrapOptions bootstrap;  // the interval to judge by
};

// True when these rounds already decide the question for one metric: at least min_rounds values
// and the Hodges-Lehmann bootstrap interval lies wholly on the good side of the pass line (a
// clear pass, as compare_metric would call it); without a baseline, when the interval is narrower
// than the precision target. Never true for a run that looks like a regression: that one runs to
// the budget.
bool decided(const std::vector<double>& log_values, const StoppingTarget& target,
             const StoppingOptions& options = {});

}  // namespace gilguard::stats
