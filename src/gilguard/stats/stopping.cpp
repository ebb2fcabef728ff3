#include "gilguard/stats/stopping.hpp"

#include <cmath>

namespace gilguard::stats {

bool decided(const std::vector<double>& log_values, const StoppingTarget& target,
             const StoppingOptions& options) {
  if (log_values.empty() || static_cast<int>(log_values.size()) < options.min_rounds) {
    return false;
  }
  const Interval interval = hodges_lehmann_interval(log_values, options.bootstrap);
  if (!std::isfinite(interval.low) || !std::isfinite(interval.high)) return false;
  if (!target.pass_line) return (interval.high - interval.low) / 2 <= options.precision;
  return target.higher_is_better ? interval.low >= *target.pass_line
                                 : interval.high <= *target.pass_line;
}

}  // namespace gilguard::stats
