#include "gilguard/stats/prediction.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

#include "gilguard/stats/estimators.hpp"

namespace gilguard::stats {

double implied_standard_error(const RunEstimate& run, double confidence) {
  const double upper = (1 + confidence) / 2;
  double q = 0;
  if (run.rounds >= 2) {
    const auto n = static_cast<double>(run.rounds);
    const boost::math::students_t t_dist(n - 1);
    q = std::sqrt(n / (n - 1)) * boost::math::quantile(t_dist, upper);
  } else {
    q = boost::math::quantile(boost::math::normal(), upper);
  }
  return std::max(run.high - run.low, 0.0) / (2 * q);
}

std::optional<PredictionInterval> predict_next_run(const std::vector<RunEstimate>& history,
                                                   const PredictionOptions& options) {
  if (history.empty()) return std::nullopt;
  const auto n = static_cast<double>(history.size());
  std::vector<double> values;
  double floor_sq = 0;
  for (const RunEstimate& run : history) {
    values.push_back(run.value);
    const double se = implied_standard_error(run, options.run_interval_confidence);
    floor_sq += se * se;
  }
  floor_sq = floor_sq / n + options.prior_drift * options.prior_drift;

  PredictionInterval out;
  out.runs = static_cast<int>(history.size());
  out.centre = mean(values);
  out.floor = std::sqrt(floor_sq);
  const double sample_var = history.size() >= 2 ? std::pow(sample_sd(values), 2) : 0.0;
  const double tail = (1 - options.confidence) / 2;
  const double prior_df = std::max(options.prior_df, 0.0);
  const double machine = std::max(options.machine_spread, 0.0);
  const double z = boost::math::quantile(boost::math::complement(boost::math::normal(), tail));
  // The spread of one run on another machine, in quadrature: within-run noise (the floor) and
  // the machine-to-machine spread, taken as known while the runs are too few to say more.
  double machine_half_width = 0;
  if (out.runs <= options.short_history || prior_df + (n - 1) <= 0) {
    out.df = std::numeric_limits<double>::infinity();
    out.spread = std::sqrt(std::max(sample_var, floor_sq));
    out.quantile = z;
    out.machine_spread = machine;
    // Measured, not estimated from these runs: z m without the t widening.
    machine_half_width = z * machine;
  } else {
    // The prior variance f^2 + m^2, worth prior_df runs, updated by the runs' own variance: the
    // machine share of s fades as runs (from whatever machines) accumulate, never by a switch.
    out.df = prior_df + (n - 1);
    const double prior_var = floor_sq + machine * machine;
    const double pooled_var = (prior_df * prior_var + (n - 1) * sample_var) / out.df;
    out.spread = std::sqrt(std::max(pooled_var, floor_sq));
    out.machine_spread = machine * std::sqrt(prior_df / out.df);
    const boost::math::students_t t_dist(out.df);
    out.quantile = boost::math::quantile(boost::math::complement(t_dist, tail));
  }
  out.spread = std::max(out.spread, options.min_spread);
  const double half_width =
      std::hypot(out.quantile * out.spread * std::sqrt(1 + 1 / n), machine_half_width);
  out.low = out.centre - half_width;
  out.high = out.centre + half_width;
  const double plain_half_width =
      std::hypot(std::min(z, out.quantile) * out.spread * std::sqrt(1 + 1 / n), machine_half_width);
  out.plain_low = out.centre - plain_half_width;
  out.plain_high = out.centre + plain_half_width;
  return out;
}

}  // namespace gilguard::stats
