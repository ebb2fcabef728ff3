#include "gilguard/stats/binomial.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>

namespace gilguard::stats {

double clopper_pearson_upper(double successes, double trials, double confidence) {
  if (trials <= 0 || successes >= trials) return 1.0;
  const double x = std::max(0.0, successes);
  return boost::math::quantile(boost::math::beta_distribution<double>(x + 1, trials - x),
                               confidence);
}

double clopper_pearson_lower(double successes, double trials, double confidence) {
  if (trials <= 0 || successes <= 0) return 0.0;
  const double x = std::min(successes, trials);
  return boost::math::quantile(boost::math::beta_distribution<double>(x, trials - x + 1),
                               1 - confidence);
}

}  // namespace gilguard::stats
