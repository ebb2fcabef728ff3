#pragma once

// Exact bounds for a binomial proportion: the Clopper-Pearson interval (Clopper and Pearson
// 1934, "The use of confidence or fiducial limits illustrated in the case of the binomial",
// Biometrika 26(4):404-413), read one-sided, from the beta distribution's quantiles. The
// evaluation states its false-alarm and detection rates with them.
namespace gilguard::stats {

// The one-sided upper bound at `confidence` (0.95: P(p <= bound) >= 95%) for `successes` out of
// `trials`: the `confidence` quantile of Beta(successes + 1, trials - successes); 1 when
// successes >= trials or trials <= 0. Non-integer counts are accepted (an effective number of
// trials with the observed share), so 0 of 100 gives 1 - 0.05^(1/100) = 0.0295.
double clopper_pearson_upper(double successes, double trials, double confidence);

// The one-sided lower bound at `confidence`: the 1 - `confidence` quantile of
// Beta(successes, trials - successes + 1); 0 when successes <= 0 or trials <= 0.
double clopper_pearson_lower(double successes, double trials, double confidence);

}  // namespace gilguard::stats
