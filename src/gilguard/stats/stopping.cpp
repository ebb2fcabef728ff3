#include "gilguard/stats/stopping.hpp"

#include <cmath>

#include "gilguard/stats/estimators.hpp"
#include "gilguard/stats/signed_rank.hpp"

namespace gilguard::stats {

namespace {

// The rest of the regression boundary against a stored baseline: the Hodges-Lehmann estimate past
// the prediction edge and the one-sided signed-rank test against the regression line rejecting at
// (1 - options.regression_confidence) / 2. Without a prediction edge (A/B) there is nothing more to
// ask.
bool past_prediction_and_rank_test(const std::vector<double>& log_values,
                                   const StoppingTarget& target, double sign,
                                   const StoppingOptions& options) {
  if (!target.prediction_edge) return true;
  if (!(sign * hodges_lehmann(log_values) < sign * *target.prediction_edge)) return false;
  std::vector<double> goodness;
  goodness.reserve(log_values.size());
  for (const double v : log_values) goodness.push_back(sign * v);
  const double level = (1 - options.regression_confidence) / 2;
  return signed_rank_test(goodness, sign * *target.regression_line, Alternative::less).p_value <=
         level;
}

}  // namespace

Decision decision(const std::vector<double>& log_values, const StoppingTarget& target,
                  const StoppingOptions& options) {
  if (log_values.empty() || static_cast<int>(log_values.size()) < options.min_rounds) {
    return Decision::undecided;
  }
  const Interval interval = hodges_lehmann_interval(log_values, options.bootstrap);
  if (!std::isfinite(interval.low) || !std::isfinite(interval.high)) return Decision::undecided;
  if (!target.pass_line && !target.regression_line) {
    return (interval.high - interval.low) / 2 <= options.precision ? Decision::precise
                                                                   : Decision::undecided;
  }
  // The goodness scale of compare_metric: g = sign * log value, higher is better.
  const double sign = target.higher_is_better ? 1.0 : -1.0;
  const double g_low = target.higher_is_better ? interval.low : -interval.high;
  const double g_high = target.higher_is_better ? interval.high : -interval.low;
  // The regression boundary first, as compare_metric checks a regression before a pass.
  if (target.regression_line && g_high < sign * *target.regression_line &&
      past_prediction_and_rank_test(log_values, target, sign, options))
    return Decision::regression;
  if (target.pass_line && g_low >= sign * *target.pass_line) return Decision::pass;
  return Decision::undecided;
}

bool decided(const std::vector<double>& log_values, const StoppingTarget& target,
             const StoppingOptions& options) {
  return decision(log_values, target, options) != Decision::undecided;
}

}  // namespace gilguard::stats
