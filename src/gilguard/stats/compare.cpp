#include "gilguard/stats/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "gilguard/stats/attribution.hpp"
#include "gilguard/stats/background.hpp"
#include "gilguard/stats/estimators.hpp"
#include "gilguard/stats/signed_rank.hpp"

namespace gilguard::stats {

namespace {

BootstrapOptions bootstrap_options(const CompareOptions& options) {
  BootstrapOptions out;
  out.confidence = options.confidence;
  out.resamples = options.resamples;
  out.seed = options.seed;
  return out;
}

double machine_spread(const MetricId& id, const CompareOptions& options) {
  switch (id.kind) {
    case MetricKind::relative:
      return options.machine_spread_relative;
    case MetricKind::overhead:
    case MetricKind::time:  // A/B only, never against a stored baseline; CPU-dependent like it
    case MetricKind::background:  // judged against a fixed limit, never against a baseline
      return options.machine_spread_overhead;
    case MetricKind::speedup:
      break;
  }
  return options.machine_spread_speedup;
}

PredictionOptions prediction_options(const CompareOptions& options) {
  PredictionOptions out;
  out.confidence = options.prediction_confidence;
  out.run_interval_confidence = options.baseline_interval_confidence;
  out.short_history = options.short_history;
  out.prior_df = options.prior_df;
  out.prior_drift = options.prior_drift;
  out.min_spread = options.min_spread;
  return out;
}

// Log of the metric's regression line (improvement line with sign = -1) around a log centre.
double line_around(double log_centre, const MetricId& id, double threshold, int sign) {
  const double factor = higher_is_better(id) ? 1 - sign * threshold : 1 + sign * threshold;
  return log_centre + std::log(std::max(factor, 1e-12));
}

std::string ratio(double value) { return fmt::format("{:.2f}x", value); }

// Every sample counts, disturbed ones too: for what was measured, not for its values.
constexpr double k_no_limit = 1e300;

// The options with gate_raw_speedup on for a run measured without the process reference (older
// results files): then the raw free-threaded speedup is the only scaling metric there is.
CompareOptions effective_options(const std::vector<MetricSamples>& current,
                                 const CompareOptions& options) {
  CompareOptions out = options;
  out.gate_raw_speedup = options.gate_raw_speedup ||
                         std::none_of(current.begin(), current.end(), [](const MetricSamples& m) {
                           return m.id.kind == MetricKind::relative;
                         });
  return out;
}

std::string percent(double fraction) { return fmt::format("{:g}%", fraction * 100); }

}  // namespace

bool is_gating(const MetricId& id, const CompareOptions& options) {
  if (id.flavor != Flavor::ft) return false;
  if (id.kind == MetricKind::overhead) return options.gate_overhead;
  if (id.kind == MetricKind::speedup && !options.gate_raw_speedup) return false;
  return id.threads > 1 &&
         (options.max_gated_threads <= 0 || id.threads <= options.max_gated_threads);
}

int machine_count(const std::vector<BaselineRun>& runs) {
  std::set<std::string> machines;
  for (const BaselineRun& run : runs) machines.insert(run.provenance.machine_id);
  return static_cast<int>(machines.size());
}

MetricHistory metric_history(const MetricId& id, const std::vector<BaselineRun>& history,
                             const CompareOptions& options) {
  MetricHistory out;
  for (const BaselineRun& run : history) {
    // Equal keys, empty ones included: results and baselines of schema 1 know no CPU
    // identity, and compare with each other as they always did.
    const bool same_cpu =
        id.kind != MetricKind::overhead || run.provenance.cpu_key == options.cpu_key;
    if (same_cpu && run.find(id)) out.runs.push_back(run);
  }
  if (!out.runs.empty() || id.kind != MetricKind::overhead) return out;
  for (const BaselineRun& run : history)
    if (run.find(id)) out.runs.push_back(run);
  out.other_cpus = !out.runs.empty();
  return out;
}

bool higher_is_better(const MetricId& id) {
  return id.kind != MetricKind::overhead && id.kind != MetricKind::time &&
         id.kind != MetricKind::background;
}

std::string describe(const MetricId& id) {
  const std::string flavour = id.flavor == Flavor::ft ? "free-threaded" : "GIL";
  if (id.kind == MetricKind::overhead) return flavour + " single-thread overhead";
  if (id.kind == MetricKind::time) return flavour + " single-thread time";
  if (id.kind == MetricKind::background)
    return "CPU the code under test burned outside its timed workers (" + flavour + " build)";
  if (id.kind == MetricKind::relative)
    return fmt::format("{} speedup against processes at {} threads", flavour, id.threads);
  return fmt::format("{} speedup at {} thread{}", flavour, id.threads, id.threads == 1 ? "" : "s");
}

std::vector<MetricSamples> metric_samples(const std::vector<Sample>& samples,
                                          double interference_limit) {
  std::map<MetricId, std::map<int, double>> per_round;  // metric -> round -> value
  // threads -> round -> flavour -> t_seq, for the overhead.
  std::map<int, std::map<int, std::map<Flavor, double>>> seq_times;
  for (const Sample& sample : samples) {
    if (sample.round < 1 || !sample.ok || !(sample.t_seq > 0)) continue;
    if (sample.cell.side != Side::head) continue;  // an A/B run's base: stats/ab compares it
    const Cell& cell = sample.cell;
    if (cell.threads > 1 && sample.t_par > 0) {
      if (!disturbs_speedup(sample, interference_limit))
        per_round[MetricId{MetricKind::speedup, cell.flavor, cell.threads}].try_emplace(
            sample.round, sample.speedup());
      if (sample.t_ref > 0 && !disturbs_relative(sample, interference_limit))
        per_round[MetricId{MetricKind::relative, cell.flavor, cell.threads}].try_emplace(
            sample.round, sample.relative_speedup());
    }
    if (!disturbs_sequential(sample, interference_limit))
      seq_times[cell.threads][sample.round].try_emplace(cell.flavor, sample.t_seq);
  }
  // The overhead pairs the two flavours' t_seq within a round, at the smallest thread count
  // where some round has both (1 whenever it was measured), like measure::ft_overhead.
  for (const auto& [threads, by_round] : seq_times) {
    bool paired = false;
    for (const auto& [round, times] : by_round) {
      const auto gil = times.find(Flavor::gil);
      const auto ft = times.find(Flavor::ft);
      if (gil == times.end() || ft == times.end()) continue;
      per_round[MetricId{MetricKind::overhead, Flavor::ft, 1}][round] = ft->second / gil->second;
      paired = true;
    }
    if (paired) break;
  }
  std::vector<MetricSamples> out;
  for (const auto& [id, rounds] : per_round) {
    MetricSamples metric{id, {}};
    for (const auto& [round, value] : rounds) metric.values.push_back(value);
    out.push_back(std::move(metric));
  }
  return out;
}

std::vector<double> log_values(const MetricSamples& samples) {
  std::vector<double> out;
  out.reserve(samples.values.size());
  for (const double v : samples.values) {
    if (std::isfinite(v) && v > 0) out.push_back(std::log(v));
  }
  return out;
}

Estimate summarize(const MetricSamples& samples, double confidence, int resamples,
                   std::uint64_t seed) {
  const std::vector<double> logs = log_values(samples);
  Estimate out;
  out.rounds = static_cast<int>(logs.size());
  if (logs.empty()) return out;
  BootstrapOptions options;
  options.confidence = confidence;
  options.resamples = resamples;
  options.seed = seed;
  const Interval interval = hodges_lehmann_interval(logs, options);
  out.value = std::exp(hodges_lehmann(logs));
  out.low = std::exp(interval.low);
  out.high = std::exp(interval.high);
  return out;
}

std::vector<RunEstimate> history_of(const MetricId& id, const std::vector<BaselineRun>& history) {
  std::vector<RunEstimate> out;
  for (const BaselineRun& run : history) {
    const std::optional<Estimate> estimate = run.find(id);
    if (!estimate || !(estimate->value > 0) || !(estimate->low > 0) || !(estimate->high > 0) ||
        !std::isfinite(estimate->value) || !std::isfinite(estimate->low) ||
        !std::isfinite(estimate->high)) {
      continue;
    }
    out.push_back({std::log(estimate->value), std::log(estimate->low), std::log(estimate->high),
                   estimate->rounds});
  }
  return out;
}

namespace {

// The prediction from a metric's history (see baseline_prediction); other CPUs' runs included.
std::optional<PredictionInterval> predict_from(const MetricId& id, const MetricHistory& history,
                                               const CompareOptions& options,
                                               bool with_machine_spread = true) {
  PredictionOptions prediction = prediction_options(options);
  // Always: machine identity hashes boot_id, so fresh VMs look like new machines; the prior
  // fades with runs instead (predict_next_run).
  prediction.machine_spread = with_machine_spread ? machine_spread(id, options) : 0.0;
  return predict_next_run(history_of(id, history.runs), prediction);
}

}  // namespace

std::optional<PredictionInterval> baseline_prediction(const MetricId& id,
                                                      const std::vector<BaselineRun>& history,
                                                      const CompareOptions& options) {
  const MetricHistory runs = metric_history(id, history, options);
  if (runs.other_cpus) return std::nullopt;
  return predict_from(id, runs, options);
}

namespace {

// The regression rule of compare_metric as an early boundary: past the regression line, the
// estimate past the prediction interval's bad edge (decided adds the rank test).
void early_regression_boundary(StoppingTarget& target, double regression,
                               const PredictionInterval& prediction) {
  target.regression_line = regression;
  target.prediction_edge = target.higher_is_better ? prediction.low : prediction.high;
}

}  // namespace

StoppingTarget stopping_target(const MetricId& id, const std::vector<BaselineRun>& history,
                               const CompareOptions& options) {
  StoppingTarget target;
  target.higher_is_better = higher_is_better(id);
  if (const auto prediction = baseline_prediction(id, history, options)) {
    // The pass rule of compare_metric: the whole interval clear of the regression line.
    const double regression = line_around(prediction->centre, id, options.threshold, +1);
    target.pass_line = regression;
    if (options.stop_for_regression) early_regression_boundary(target, regression, *prediction);
  }
  return target;
}

bool may_stop(const std::vector<MetricSamples>& current, const std::vector<BaselineRun>& history,
              const CompareOptions& given) {
  const CompareOptions options = effective_options(current, given);
  // Against a baseline an early pass needs the stricter stop_confidence interval; without one
  // the precision target uses the verdict's own interval.
  StoppingOptions against_baseline;
  against_baseline.min_rounds = std::max(options.min_rounds, options.stop_min_rounds);
  against_baseline.precision = options.stop_precision;
  against_baseline.bootstrap = bootstrap_options(options);
  against_baseline.bootstrap.confidence = options.stop_confidence;
  against_baseline.regression_confidence = options.stop_regression_confidence;
  StoppingOptions without_baseline = against_baseline;
  without_baseline.bootstrap.confidence = options.confidence;
  bool any_gating = false;
  bool all_decided = true;
  for (const MetricSamples& metric : current) {
    if (!is_gating(metric.id, options)) continue;
    if (metric_history(metric.id, history, options).other_cpus)
      continue;  // information only here: compare_metric says why
    any_gating = true;
    const StoppingTarget target = stopping_target(metric.id, history, options);
    const StoppingOptions& stopping = target.pass_line ? against_baseline : without_baseline;
    const Decision decided_now = decision(log_values(metric), target, stopping);
    // One gating metric past the regression boundary decides the overall verdict.
    if (decided_now == Decision::regression) return true;
    all_decided = all_decided && decided_now != Decision::undecided;
  }
  if (any_gating) return all_decided;
  if (current.empty()) return false;
  return std::all_of(current.begin(), current.end(), [&](const MetricSamples& metric) {
    return static_cast<int>(log_values(metric).size()) >= against_baseline.min_rounds;
  });
}

bool may_stop(const std::vector<Sample>& samples, const std::vector<BaselineRun>& history,
              const CompareOptions& options) {
  const std::vector<MetricSamples> measured = metric_samples(samples, k_no_limit);
  const std::vector<MetricSamples> kept = metric_samples(samples, options.interference_limit);
  const CompareOptions effective = effective_options(measured, options);
  // A gating metric whose every round so far was disturbed is undecided, not absent.
  for (const MetricSamples& metric : measured) {
    if (!is_gating(metric.id, effective)) continue;
    const bool present = std::any_of(kept.begin(), kept.end(),
                                     [&](const MetricSamples& k) { return k.id == metric.id; });
    if (!present) return false;
  }
  return may_stop(kept, history, effective);
}

namespace {

// Why a move wholly past a line is not called a regression (or an improvement): the signed-rank
// test (outside_prediction: the estimate is past the prediction bound), the machine allowance
// alone (outside_runs: past the bound the runs themselves show), or the baseline's own spread.
std::string why_not_decided(const PredictionInterval& prediction, bool outside_prediction,
                            bool outside_runs, const std::string& spread, const std::string& what) {
  if (outside_prediction)
    return fmt::format(
        "the signed-rank test of its rounds against that line is not significant; more rounds "
        "would decide whether it is {}.",
        what);
  if (outside_runs && prediction.machine_spread > 0)
    return fmt::format(
        "only the allowance for machine-to-machine spread ({:.1f}%) keeps it from being {}: it is "
        "outside the range the baseline's {} run{} show themselves but within {}. A runner of "
        "another speed cannot be told from a change of the code here; baseline runs from more "
        "machines, or an A/B run against the base, would decide.",
        prediction.machine_spread * 100, what, prediction.runs, prediction.runs == 1 ? "" : "s",
        spread);
  return fmt::format(
      "it is within {}; more baseline runs would tell a runner of another speed from {}.", spread,
      what);
}

MetricComparison compare_metric_impl(const MetricSamples& current, const MetricHistory& history,
                                     const CompareOptions& options) {
  MetricComparison out;
  out.id = current.id;
  out.gating = is_gating(current.id, options) && !history.other_cpus;

  const std::vector<double> logs = log_values(current);
  const Interval interval = hodges_lehmann_interval(logs, bootstrap_options(options));
  const double log_estimate = hodges_lehmann(logs);
  out.current.rounds = static_cast<int>(logs.size());
  if (!logs.empty()) {
    out.current.value = std::exp(log_estimate);
    out.current.low = std::exp(interval.low);
    out.current.high = std::exp(interval.high);
  }

  const std::string name = describe(current.id);
  const std::optional<PredictionInterval> prediction = predict_from(current.id, history, options);
  if (!prediction) {
    out.verdict = Verdict::no_baseline;
    out.explanation = fmt::format(
        "The {} has no baseline yet; `gilguard baseline update` records this run as one.", name);
    return out;
  }

  const bool up_is_good = higher_is_better(current.id);
  const double base = std::exp(prediction->centre);
  out.baseline = base;
  out.baseline_low = std::exp(prediction->low);
  out.baseline_high = std::exp(prediction->high);
  out.baseline_runs = prediction->runs;
  out.baseline_machines = machine_count(history.runs);

  const int rounds = out.current.rounds;
  if (rounds < std::max(options.min_rounds, 1)) {
    out.verdict = Verdict::inconclusive;
    out.explanation = fmt::format(
        "The {} rests on {} measured round{}, fewer than the {} needed to decide; run more rounds.",
        name, rounds, rounds == 1 ? "" : "s", options.min_rounds);
    return out;
  }
  out.change = out.current.value / base - 1;

  // Work on the "goodness" scale g = sign * log(value), where higher is always better.
  const double sign = up_is_good ? 1.0 : -1.0;
  const double log_regression = line_around(prediction->centre, current.id, options.threshold, +1);
  const double log_improvement = line_around(prediction->centre, current.id, options.threshold, -1);
  const double g_estimate = sign * log_estimate;
  const double g_low = up_is_good ? interval.low : -interval.high;
  const double g_high = up_is_good ? interval.high : -interval.low;
  const double g_regression = sign * log_regression;
  const double g_improvement = sign * log_improvement;
  const double g_pred_low = up_is_good ? prediction->low : -prediction->high;
  const double g_pred_high = up_is_good ? prediction->high : -prediction->low;
  // The prediction bounds from the runs' own spread, without the machine-to-machine allowance.
  const std::optional<PredictionInterval> own = predict_from(current.id, history, options, false);
  const double g_runs_low = up_is_good ? own->low : -own->high;
  const double g_runs_high = up_is_good ? own->high : -own->low;
  const double one_sided = (1 - options.confidence) / 2;

  std::vector<double> goodness;
  goodness.reserve(logs.size());
  for (const double v : logs) goodness.push_back(sign * v);

  const std::string conf = percent(options.confidence);
  const std::string thr = percent(options.threshold);
  const double change_pct = std::fabs(*out.change) * 100;
  const std::string moved = *out.change < 0 ? "fell" : "rose";
  const std::string now =
      fmt::format("{} ({} interval {}-{}, {} rounds)", ratio(out.current.value), conf,
                  ratio(out.current.low), ratio(out.current.high), rounds);
  const std::string machines =
      prediction->machine_spread > 0
          ? fmt::format(" from {} machine{}, widened by the {:.1f}% machine-to-machine spread",
                        out.baseline_machines, out.baseline_machines == 1 ? "" : "s",
                        prediction->machine_spread * 100)
          : fmt::format(" from {} machines", out.baseline_machines);
  const std::string spread = fmt::format(
      "the baseline's {} run-to-run range {}-{} ({} run{}{})",
      percent(options.prediction_confidence), ratio(*out.baseline_low), ratio(*out.baseline_high),
      prediction->runs, prediction->runs == 1 ? "" : "s", machines);
  const double regression_line = std::exp(log_regression);
  const double improvement_line = std::exp(log_improvement);

  // Regression: the whole interval below the regression line, the estimate below the
  // baseline's prediction bound, and (optionally) the exact rank test against the line.
  if (g_high < g_regression && g_estimate < g_pred_low) {
    const RankTestResult rank = signed_rank_test(goodness, g_regression, Alternative::less);
    if (!options.rank_test || rank.p_value <= one_sided) {
      out.verdict = Verdict::regression;
      out.explanation = fmt::format(
          "The {} {} {:.1f}% to {}, wholly past the {} regression line {} and outside {}.", name,
          moved, change_pct, now, thr, ratio(regression_line), spread);
    } else {
      out.verdict = Verdict::inconclusive;
      out.explanation = fmt::format(
          "The {} {} {:.1f}% to {}, past the {} regression line {}, but the signed-rank test of "
          "its rounds against that line is not significant (p = {:.2g}); more rounds would "
          "decide.",
          name, moved, change_pct, now, thr, ratio(regression_line), rank.p_value);
    }
    return out;
  }

  if (g_low > g_improvement) {
    if (g_estimate > g_pred_high &&
        (!options.rank_test ||
         signed_rank_test(goodness, g_improvement, Alternative::greater).p_value <= one_sided)) {
      out.verdict = Verdict::improvement;
      out.explanation = fmt::format(
          "The {} {} {:.1f}% to {}, wholly past the {} improvement line {} and outside {}; "
          "consider updating the baseline.",
          name, moved, change_pct, now, thr, ratio(improvement_line), spread);
      return out;
    }
    out.verdict = Verdict::inconclusive;
    out.explanation =
        fmt::format("The {} {} {:.1f}% to {}, wholly past the {} improvement line {}, but {}", name,
                    moved, change_pct, now, thr, ratio(improvement_line),
                    why_not_decided(*prediction, g_estimate > g_pred_high, g_estimate > g_runs_high,
                                    spread, "an improvement"));
    return out;
  }
  // Pass: the whole interval clear of the regression line and not wholly past the improvement
  // line. "Pass" says the metric did not move past the threshold with the run's confidence, so a
  // move the interval shows past either line is never a pass, whatever the baseline's spread.
  if (g_low >= g_regression) {
    out.verdict = Verdict::pass;
    out.explanation = fmt::format(
        "The {} is {} against the baseline {} ({:+.1f}%), clear of the {} regression line {}.",
        name, now, ratio(base), *out.change * 100, thr, ratio(regression_line));
    return out;
  }

  out.verdict = Verdict::inconclusive;
  if (g_high < g_regression) {
    out.explanation =
        fmt::format("The {} {} {:.1f}% to {}, wholly past the {} regression line {}, but {}", name,
                    moved, change_pct, now, thr, ratio(regression_line),
                    why_not_decided(*prediction, g_estimate < g_pred_low, g_estimate < g_runs_low,
                                    spread, "a regression"));
  } else {
    out.explanation = fmt::format(
        "The {} is {} against the baseline {} ({:+.1f}%); the interval straddles the {} "
        "regression line {}, so more rounds would decide.",
        name, now, ratio(base), *out.change * 100, thr, ratio(regression_line));
  }
  return out;
}

}  // namespace

MetricComparison compare_metric(const MetricSamples& current,
                                const std::vector<BaselineRun>& history,
                                const CompareOptions& options) {
  const MetricHistory runs = metric_history(current.id, history, options);
  MetricComparison out = compare_metric_impl(current, runs, options);
  if (runs.other_cpus)
    out.explanation += fmt::format(
        " Information only: the overhead depends on the CPU, and the baseline holds no run of "
        "this one ({}).",
        options.cpu_key.empty() ? "unknown" : options.cpu_key);
  else if (current.id.kind == MetricKind::overhead && !options.gate_overhead)
    out.explanation += k_single_thread_info;
  return out;
}

Verdict overall_verdict(const std::vector<MetricComparison>& metrics) {
  bool any_baseline = false;
  bool any_gating_baseline = false;
  bool any_gating = false;
  bool inconclusive = false;
  bool improvement = false;
  bool background_unsure = false;
  for (const MetricComparison& metric : metrics) {
    // Background work is judged against a fixed limit: a regression whatever the baselines say,
    // otherwise no part of whether there was a baseline to compare with.
    if (metric.id.kind == MetricKind::background) {
      if (metric.verdict == Verdict::regression) return Verdict::regression;
      background_unsure = background_unsure || metric.verdict == Verdict::inconclusive;
      continue;
    }
    any_gating = any_gating || metric.gating;
    if (metric.verdict == Verdict::no_baseline) continue;
    any_baseline = true;
    if (!metric.gating) continue;
    any_gating_baseline = true;
    if (metric.verdict == Verdict::regression) return Verdict::regression;
    if (metric.verdict == Verdict::inconclusive) inconclusive = true;
    if (metric.verdict == Verdict::improvement) improvement = true;
  }
  if (!any_baseline) return Verdict::no_baseline;
  // Gating metrics without a baseline are not checked: that is no baseline, not a pass.
  if (!any_gating_baseline) return any_gating ? Verdict::no_baseline : Verdict::pass;
  if (inconclusive || background_unsure) return Verdict::inconclusive;
  if (improvement) return Verdict::improvement;
  return Verdict::pass;
}

namespace {

// compare() with the options as given (no effective_options).
Comparison compare_as_given(const std::vector<MetricSamples>& current,
                            const std::vector<BaselineRun>& history,
                            const CompareOptions& options) {
  Comparison out;
  out.threshold = options.threshold;
  for (const MetricSamples& metric : current) {
    out.metrics.push_back(compare_metric(metric, history, options));
  }
  out.overall = overall_verdict(out.metrics);
  return out;
}

}  // namespace

Comparison compare(const std::vector<MetricSamples>& current,
                   const std::vector<BaselineRun>& history, const CompareOptions& options) {
  return compare_as_given(current, history, effective_options(current, options));
}

Comparison compare_samples(const std::vector<Sample>& samples,
                           const std::vector<BaselineRun>& history, const CompareOptions& options) {
  // Whether the reference was measured is decided on every sample: interference that set all
  // reference samples aside must not turn the raw speedup into the gating metric.
  const std::vector<MetricSamples> measured = metric_samples(samples, k_no_limit);
  const CompareOptions effective = effective_options(measured, options);
  Comparison out =
      compare_as_given(metric_samples(samples, options.interference_limit), history, effective);
  // The code under test's background work, against its fixed limit (stats/background).
  BackgroundOptions background;
  background.limit = options.background_limit;
  background.confidence = options.confidence;
  background.resamples = options.resamples;
  for (MetricComparison& metric : compare_backgrounds(samples, background))
    out.metrics.push_back(std::move(metric));
  out.overall = overall_verdict(out.metrics);
  out.interference = interference_summary(samples, options.interference_limit);
  if (!out.interference || out.interference->set_aside == 0) {
    attach_splits(out, samples, history, options.interference_limit);
    return out;
  }
  // A verdict never rests on disturbed rounds: a gating metric they left short of rounds says
  // so, and one that lost every round still appears, inconclusive.
  const auto& seen = *out.interference;
  const std::string why = fmt::format(
      " {} of {} samples were set aside: interference from {} took up to {:.0f}% of a timed "
      "region.",
      seen.set_aside, seen.samples, seen.dominant, seen.worst * 100);
  for (const MetricSamples& all : measured) {
    if (!is_gating(all.id, effective)) continue;
    auto it = std::find_if(out.metrics.begin(), out.metrics.end(),
                           [&](const MetricComparison& m) { return m.id == all.id; });
    if (it == out.metrics.end()) {
      MetricComparison lost;
      lost.id = all.id;
      lost.gating = true;
      lost.verdict = Verdict::inconclusive;
      lost.explanation = fmt::format("The {} has no undisturbed round.", describe(all.id)) + why;
      out.metrics.push_back(std::move(lost));
    } else if (it->verdict == Verdict::inconclusive) {
      it->explanation += why;
    }
  }
  std::sort(out.metrics.begin(), out.metrics.end(),
            [](const MetricComparison& a, const MetricComparison& b) { return a.id < b.id; });
  out.overall = overall_verdict(out.metrics);
  attach_splits(out, samples, history, options.interference_limit);
  return out;
}

}  // namespace gilguard::stats
