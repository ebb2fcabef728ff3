#pragma once

#include <optional>
#include <vector>

// Run-to-run spread: where the next run's estimate should fall, from a baseline's history of run
// estimates. All values on the log scale.
namespace gilguard::stats {

// One past run's estimate of a metric, log scale.
struct RunEstimate {
  double value = 0;  // log of the point estimate
  double low = 0;    // log of the interval bounds
  double high = 0;
  int rounds = 0;  // rounds the estimate rests on; 0 when unknown
};

// How to form the prediction interval.
struct PredictionOptions {
  double confidence = 0.99;               // two-sided coverage of the prediction interval
  double run_interval_confidence = 0.99;  // the confidence the stored run intervals were made at
  // Histories of at most this many runs are "short": their spread is the larger of the sample
  // spread and the within-run floor, with the normal quantile (the floor taken as known).
  int short_history = 2;
  // Longer histories: weight, in degrees of freedom (runs' worth), of the prior variance
  // f^2 + machine_spread^2 when it is pooled with the sample variance; see predict_next_run.
  double prior_df = 2;
  // Drift between runs assumed before any is seen, log scale (0.02 ~ 2%): added in quadrature to
  // the within-run floor, f^2 = mean(se_i^2) + prior_drift^2. 0 trusts the floor alone, which
  // is exact when runs differ only by their sampling noise.
  double prior_drift = 0;
  // Smallest spread ever used, log scale: guards against stored intervals of zero width (a run
  // of one round, or identical rounds), which would make any change look significant.
  double min_spread = 0.005;
  // Machine-to-machine spread m, log scale: how far a run on another machine may sit from these
  // runs beyond its own noise. Short histories add z m in quadrature to both half-widths; longer
  // ones pool it into the prior variance, where the runs' own spread takes over as they
  // accumulate (predict_next_run).
  double machine_spread = 0;
};

// A prediction interval for the next run's estimate, log scale.
struct PredictionInterval {
  double centre = 0;  // mean of the history's estimates
  double low = 0;
  double high = 0;
  double spread = 0;  // s: the standard deviation used for one run's estimate
  double floor = 0;   // the within-run floor on s
  // The machine-to-machine spread the interval still carries: m for a short history, its share
  // m sqrt(d0 / (d0 + n - 1)) of the pooled spread for a longer one (0: none).
  double machine_spread = 0;
  double quantile = 0;  // the t quantile applied
  double df = 0;        // its degrees of freedom
  int runs = 0;
  // The plug-in range centre +- z s sqrt(1 + 1/n), without the t widening for a short history:
  // the spread the runs have actually shown. Equal to [low, high] for short histories. Shown in
  // reports and evaluations; since issue 20 no verdict passes a run for lying inside it.
  double plain_low = 0;
  double plain_high = 0;
};

// The standard error of one run's estimate implied by its stored two-sided interval at
// `confidence`: (high - low) / (2 q), with q the quantile that interval was built with: the
// expanded percentile's sqrt(n/(n-1)) t_{n-1, (1+confidence)/2} for a run of n >= 2 rounds
// (BootstrapOptions::expanded), z_{(1+confidence)/2} when n is unknown. The bootstrap interval
// is not exactly normal, so this is an approximation, used only as a floor.
double implied_standard_error(const RunEstimate& run, double confidence);

// The prediction interval for one new run's estimate from n past ones: mean +- q s sqrt(1 + 1/n)
// (Hahn & Meeker 1991, "Statistical Intervals", Wiley, sec. 4.7; the t quantile q = t_{n-1,
// 1-alpha/2} when s is estimated). The floor f is the root mean square of the runs' implied
// within-run standard errors (plus prior_drift in quadrature): a run's estimate cannot vary less
// than its own sampling noise.
// - n <= short_history (1 or 2 runs): s = max(s_n, f) and q = z_{1-alpha/2}, widened in
//   quadrature by z m: with so few runs the drift between runs cannot be estimated, the floor and
//   the machine spread are taken as known, and the threshold is what guards against drift.
// - longer histories: s^2 = (d0 (f^2 + m^2) + (n-1) s_n^2) / (d0 + n - 1) with
//   q = t_{d0 + n - 1}, the floor and the machine spread acting as a prior variance worth
//   d0 = prior_df degrees of freedom (Smyth 2004, "Linear models and empirical Bayes methods for
//   assessing differential expression", Stat. Appl. Genet. Mol. Biol. 3(1), art. 3), and never
//   s < f. The machine term thus fades as the runs show their own spread, with no switch.
// Always s >= min_spread. nullopt for an empty history.
std::optional<PredictionInterval> predict_next_run(const std::vector<RunEstimate>& history,
                                                   const PredictionOptions& options = {});

}  // namespace gilguard::stats
