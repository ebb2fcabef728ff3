#include "gilguard/stats/ab.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <map>

#include "gilguard/stats/background.hpp"
#include "gilguard/stats/compare.hpp"
#include "gilguard/stats/estimators.hpp"
#include "gilguard/stats/signed_rank.hpp"

namespace gilguard::stats {
namespace {

// Interference readings are not consulted: every sample counts.
constexpr double k_no_limit = 1e9;

// round -> side -> value, for one metric.
using ByRound = std::map<int, std::map<Side, double>>;

// The k-th smallest of `values` (0-based), reordering them.
double order_statistic(std::vector<double>& values, std::size_t k) {
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

}  // namespace

std::size_t walsh_lower_index(int n, double confidence) {
  if (n < 1) return 0;
  const double tail = (1 - confidence) / 2;
  const auto averages = static_cast<double>(n) * (n + 1) / 2;
  if (n <= k_signed_rank_exact_max) {
    // P(W+ <= c) grows with c: the last c still within the tail, if any.
    const std::vector<double> lower = signed_rank_lower_tail(n);
    std::size_t c = 0;
    while (c + 1 < lower.size() && lower[c + 1] <= tail) ++c;
    return c;
  }
  const double mu = averages / 2;
  const double sigma = std::sqrt(averages * (2.0 * n + 1) / 12);
  const double z = boost::math::quantile(boost::math::complement(boost::math::normal(), tail));
  const double c = std::floor(mu - z * sigma - 0.5);
  return static_cast<std::size_t>(std::clamp(c, 0.0, averages - 1));
}

HodgesLehmann hodges_lehmann_walsh(const std::vector<double>& values, double confidence) {
  HodgesLehmann out;
  if (values.empty()) return out;
  auto walsh = walsh_averages(values);
  out.estimate = median(walsh);  // hodges_lehmann, without building the averages a second time
  const auto last = walsh.size() - 1;
  const auto low = std::min(walsh_lower_index(static_cast<int>(values.size()), confidence), last);
  out.low = order_statistic(walsh, low);
  out.high = order_statistic(walsh, last - low);
  return out;
}

namespace {

Estimate estimate_of(const MetricId& id, const std::vector<double>& values,
                     const AbOptions& options) {
  const auto logs = log_values(MetricSamples{id, values});
  Estimate out;
  out.rounds = static_cast<int>(logs.size());
  if (logs.empty()) return out;
  const auto hl = hodges_lehmann_walsh(logs, options.confidence);
  out.value = std::exp(hl.estimate);
  out.low = std::exp(hl.low);
  out.high = std::exp(hl.high);
  return out;
}

// The regression line of a paired log ratio: log(1 - threshold) for a metric better higher,
// log(1 + threshold) for one better lower.
double regression_line(const MetricId& id, double threshold) {
  return higher_is_better(id) ? std::log1p(-threshold) : std::log1p(threshold);
}

std::string percent(double fraction) { return fmt::format("{:+.1f}%", fraction * 100); }

std::string value_text(const MetricId& id, double value) {
  return id.kind == MetricKind::time ? fmt::format("{:.3f} s", value)
                                     : fmt::format("{:.2f}x", value);
}

}  // namespace

std::vector<PairedSamples> paired_samples(const std::vector<Sample>& samples,
                                          double interference_limit) {
  std::map<MetricId, ByRound> per_metric;
  // flavour -> threads -> round -> side -> t_seq; the time uses the smallest thread count.
  std::map<Flavor, std::map<int, ByRound>> seq_times;
  for (const Sample& s : samples) {
    if (s.round < 1 || !s.ok || !(s.t_seq > 0)) continue;
    const Cell& cell = s.cell;
    if (cell.threads > 1 && s.t_par > 0 && !disturbs_speedup(s, interference_limit))
      per_metric[{MetricKind::speedup, cell.flavor, cell.threads}][s.round].try_emplace(
          cell.side, s.speedup());
    if (!disturbs_sequential(s, interference_limit))
      seq_times[cell.flavor][cell.threads][s.round].try_emplace(cell.side, s.t_seq);
  }
  for (const auto& [flavor, by_threads] : seq_times)
    if (!by_threads.empty()) per_metric[{MetricKind::time, flavor, 1}] = by_threads.begin()->second;

  std::vector<PairedSamples> out;
  for (const auto& [id, rounds] : per_metric) {
    PairedSamples paired{id, {}, {}};
    for (const auto& [round, sides] : rounds) {
      const auto head = sides.find(Side::head);
      const auto base = sides.find(Side::base);
      if (head == sides.end() || base == sides.end()) continue;
      paired.head.push_back(head->second);
      paired.base.push_back(base->second);
    }
    if (!paired.head.empty()) out.push_back(std::move(paired));
  }
  return out;
}

std::vector<double> paired_log_ratios(const PairedSamples& paired) {
  std::vector<double> out;
  for (std::size_t i = 0; i < paired.head.size() && i < paired.base.size(); ++i) {
    const double ratio = paired.head[i] / paired.base[i];
    if (ratio > 0 && std::isfinite(ratio)) out.push_back(std::log(ratio));
  }
  return out;
}

bool is_gating_ab(const MetricId& id, const AbOptions& options) {
  if (id.kind == MetricKind::time) return options.gate_time;
  if (id.kind != MetricKind::speedup || id.flavor != Flavor::ft || id.threads < 2) return false;
  return options.max_gated_threads <= 0 || id.threads <= options.max_gated_threads;
}

MetricComparison compare_paired(const PairedSamples& paired, const AbOptions& options) {
  MetricComparison out;
  out.id = paired.id;
  out.gating = is_gating_ab(paired.id, options);
  out.current = estimate_of(paired.id, paired.head, options);
  const Estimate base = estimate_of(paired.id, paired.base, options);
  out.baseline = base.value;
  out.baseline_low = base.low;
  out.baseline_high = base.high;
  out.baseline_runs = 1;
  out.baseline_machines = 1;

  const auto logs = paired_log_ratios(paired);
  const int rounds = static_cast<int>(logs.size());
  const std::string what = describe(paired.id);
  if (rounds < options.min_rounds) {
    out.verdict = Verdict::inconclusive;
    out.explanation =
        fmt::format("The {} has {} paired round{} against the base; at least {} are needed.", what,
                    rounds, rounds == 1 ? "" : "s", options.min_rounds);
    return out;
  }
  const auto interval = hodges_lehmann_walsh(logs, options.confidence);
  const double centre = interval.estimate;
  out.change = std::expm1(centre);
  out.change_low = std::expm1(interval.low);
  out.change_high = std::expm1(interval.high);
  // The head's value shown is the base's times the paired change, so that the two columns and
  // the change always agree in sign: the head's own estimate, from unpaired rounds, carries the
  // machine's swings that pairing cancels and could read 1.53x against 1.54x beside +0.7%.
  if (base.value > 0) out.current.value = base.value * std::exp(centre);

  const bool higher = higher_is_better(paired.id);
  const double line = regression_line(paired.id, options.threshold);
  const double good_line = higher ? std::log1p(options.threshold) : std::log1p(-options.threshold);
  const bool past_bad = higher ? interval.high < line : interval.low > line;
  const bool past_good = higher ? interval.low > good_line : interval.high < good_line;
  const bool clear_of_bad = higher ? interval.low > line : interval.high < line;
  const std::string numbers = fmt::format(
      "{} [{}, {}], {} against {}, {} paired rounds", percent(*out.change),
      percent(*out.change_low), percent(*out.change_high), value_text(paired.id, out.current.value),
      value_text(paired.id, base.value), rounds);
  const std::string threshold = fmt::format("{:.0f}%", options.threshold * 100);
  if (past_bad || past_good) {
    // Past the threshold on the bad side (a regression) or the good side (an improvement).
    out.verdict = past_bad ? Verdict::regression : Verdict::improvement;
    out.explanation = fmt::format(
        "The {} {} against the base ({}): the whole interval is past the {} threshold{}.", what,
        past_bad == higher ? "fell" : "rose", numbers, threshold,
        past_bad ? "" : " on the good side");
  } else if (clear_of_bad) {
    out.verdict = Verdict::pass;
    out.explanation =
        fmt::format("The {} changed {} against the base: the interval rules out a {} {}.", what,
                    numbers, higher ? "drop of" : "rise of", threshold);
  } else {
    out.verdict = Verdict::inconclusive;
    out.explanation = fmt::format(
        "The {} changed {} against the base: the interval neither rules out nor shows a {} {}; "
        "more rounds (a larger --time-budget) would narrow it.",
        what, numbers, higher ? "drop of" : "rise of", threshold);
  }
  if (paired.id.kind == MetricKind::time && !options.gate_time)
    out.explanation += k_single_thread_info;
  return out;
}

Comparison compare_ab(const std::vector<Sample>& samples, const AbOptions& options) {
  Comparison out;
  out.ab = true;
  out.threshold = options.threshold;
  const auto measured = paired_samples(samples, k_no_limit);
  for (const auto& paired : paired_samples(samples, options.interference_limit))
    out.metrics.push_back(compare_paired(paired, options));
  out.interference = interference_summary(samples, options.interference_limit);
  // A verdict never rests on disturbed rounds: a gating metric they left without a paired round
  // still appears, inconclusive, naming the interference.
  for (const auto& all : measured) {
    if (!is_gating_ab(all.id, options)) continue;
    const bool present =
        std::ranges::any_of(out.metrics, [&](const MetricComparison& m) { return m.id == all.id; });
    if (present) continue;
    MetricComparison lost;
    lost.id = all.id;
    lost.gating = true;
    lost.verdict = Verdict::inconclusive;
    lost.explanation = fmt::format("The {} has no undisturbed paired round.", describe(all.id));
    if (out.interference)
      lost.explanation += fmt::format(" Interference from {} took up to {:.0f}% of a timed region.",
                                      out.interference->dominant, out.interference->worst * 100);
    out.metrics.push_back(std::move(lost));
  }
  // The head's background work, against its fixed limit (stats/background).
  BackgroundOptions background;
  background.limit = options.background_limit;
  background.confidence = options.confidence;
  for (MetricComparison& metric : compare_backgrounds(samples, background))
    out.metrics.push_back(std::move(metric));
  std::ranges::sort(out.metrics, {}, &MetricComparison::id);
  out.overall = overall_verdict(out.metrics);
  return out;
}

bool may_stop_ab(const std::vector<Sample>& samples, const AbOptions& options) {
  bool any = false;
  bool all_clear = true;
  for (const auto& paired : paired_samples(samples, options.interference_limit)) {
    if (!is_gating_ab(paired.id, options)) continue;
    any = true;
    const auto logs = paired_log_ratios(paired);
    if (static_cast<int>(logs.size()) < options.stop_min_rounds) {
      all_clear = false;
      continue;
    }
    const double line = regression_line(paired.id, options.threshold);
    const bool higher = higher_is_better(paired.id);
    // Only once the interval can promise its confidence: with fewer rounds it is the whole
    // range, whose coverage 1 - 2^(1-n) falls short (n < 11 at 99.9%).
    const double tail = (1 - options.stop_regression_confidence) / 2;
    if (options.stop_for_regression && std::ldexp(1.0, -static_cast<int>(logs.size())) <= tail) {
      // This interval holds compare_paired's narrower one: past the line here, it is past the
      // line there too, so the verdict at the stop is a regression.
      const auto wide = hodges_lehmann_walsh(logs, options.stop_regression_confidence);
      if (higher ? wide.high < line : wide.low > line) return true;
    }
    const auto interval = hodges_lehmann_walsh(logs, options.stop_confidence);
    const bool clear = higher ? interval.low > line : interval.high < line;
    all_clear = all_clear && clear;
  }
  return any && all_clear;
}

}  // namespace gilguard::stats
