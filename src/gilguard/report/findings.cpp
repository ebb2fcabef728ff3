#include "gilguard/report/findings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "gilguard/report/format.hpp"

namespace gilguard::report {
namespace {

// "2.15x" or "none" for a metric's baseline centre.
std::string baseline_text(const MetricComparison& metric) {
  return metric.baseline ? format_value(metric.id, *metric.baseline) : std::string("none");
}

// "1.89x [1.85x, 1.93x] against a baseline of 2.15x (-12.1%)"; in an A/B run "... against
// base abc123 at 2.15x (...)".
std::string measured_text(const Comparison& comparison, const MetricComparison& metric) {
  const std::string reference =
      comparison.ab ? fmt::format("{} at", reference_name(comparison)) : "a baseline of";
  return fmt::format("{} {} against {} {} ({})", format_value(metric.id, metric.current.value),
                     format_value_interval(metric.id, metric.current.low, metric.current.high),
                     reference, baseline_text(metric), format_change(metric.change));
}

// The comparison's own explanation (a sentence with the numbers and the rule applied) when it
// has one, else `fallback`; then `advice`.
std::string explained(const MetricComparison& metric, const std::string& fallback,
                      std::string_view advice = {}) {
  std::string text = metric.explanation.empty() ? fallback : metric.explanation;
  if (!advice.empty()) text += " " + std::string(advice);
  return text;
}

// "13.0% more CPU per item, 1.2% waiting, 0.5% machine": shares of a loss or a drop, each part
// in the words that say which way it went.
std::string shares_text(const LossSplit& shares) {
  const auto part = [](double share, std::string_view more, std::string_view less) {
    return fmt::format("{:.1f}% {}", std::fabs(share) * 100, share > -0.0005 ? more : less);
  };
  return fmt::format("{}, {}, {}", part(shares.cpu, "more CPU per item", "less CPU per item"),
                     part(shares.waiting, "waiting", "less waiting"),
                     part(shares.machine, "machine", "less taken by the machine"));
}

// The parts themselves, in log points (when they cannot be shares of a whole).
std::string parts_text(const LossSplit& parts) {
  return fmt::format("CPU per item {:+.1f}%, waiting {:+.1f}%, machine {:+.1f}% (log points)",
                     parts.cpu * 100, parts.waiting * 100, parts.machine * 100);
}

// What the threads lost against the processes, `value` the speedup against processes (t_ref /
// t_par) and `split` its parts: "the threads lost 12.0% against the processes: 10.0% more CPU per
// item, ...".
std::string own_loss_text(double value, const LossSplit& split) {
  const double loss = 1 - value;
  if (const auto shares = shares_of(loss, split))
    return fmt::format("the threads lost {:.1f}% against the processes: {}", loss * 100,
                       shares_text(*shares));
  return fmt::format("the threads lost {:.1f}% against the processes ({})", loss * 100,
                     parts_text(split));
}

// For a regression of a speedup against processes: the drop split into the parts' changes
// against the baseline's, or, where the baseline recorded no split, this run's own loss.
std::string drop_split_text(const MetricComparison& metric) {
  if (!metric.current.split || !metric.change) return "";
  const LossSplit& current = *metric.current.split;
  if (!metric.baseline_split)
    return fmt::format(
        " Where the time went: the baseline's split is not recorded; in this run {}.",
        own_loss_text(metric.current.value, current));
  const LossSplit moved = split_change(current, *metric.baseline_split);
  if (const auto shares = shares_of(-*metric.change, moved))
    return fmt::format(" Of the {:.1f}%: {} (each part against the baseline's).",
                       -*metric.change * 100, shares_text(*shares));
  return fmt::format(" Where the time went, against the baseline's split: {}.", parts_text(moved));
}

// For a regression sampled under perf: "In which function (perf, the threads' samples against the
// processes'): fast_mod 29.8% against 4.0%, ..." or what kept the sampling from running.
std::string sampling_text(const MetricComparison& metric) {
  if (metric.functions.empty()) return metric.sampling.empty() ? "" : " " + metric.sampling;
  std::string list;
  for (const auto& f : metric.functions)
    list += fmt::format("{}{} {:.1f}% against {:.1f}%", list.empty() ? "" : ", ", f.name,
                        f.threads * 100, f.processes * 100);
  return fmt::format(
      " In which function (the share of the threads' sampled CPU time against the processes'): "
      "{}. {}",
      list, metric.sampling);
}

// Every speedup against processes with a split: where the threads' time went in this run, and
// in the baseline's.
void add_split_findings(const Comparison& comparison, std::vector<Finding>& out) {
  for (const auto& metric : comparison.metrics) {
    if (metric.id.kind != MetricKind::relative || !metric.current.split || !metric.gating) continue;
    std::string message = fmt::format("Median of {} round{}: {}.", metric.current.split->rounds,
                                      metric.current.split->rounds == 1 ? "" : "s",
                                      own_loss_text(metric.current.value, *metric.current.split));
    if (metric.baseline_split && metric.baseline)
      message += fmt::format(" The baseline's: {}.",
                             own_loss_text(*metric.baseline, *metric.baseline_split));
    else if (!comparison.ab && metric.verdict != Verdict::no_baseline)
      message += " The baseline's: not recorded.";
    out.push_back({Severity::notice, 3, 0,
                   fmt::format("Where the time went: {}", metric_label(metric.id)), message});
  }
}

double change_size(const MetricComparison& metric) {
  return metric.change ? std::fabs(*metric.change) : 0.0;
}

void add_metric_findings(const Comparison& comparison, std::vector<Finding>& out) {
  std::vector<std::string> missing;
  for (const auto& metric : comparison.metrics) {
    const std::string label = metric_label(metric.id);
    const std::string measured = measured_text(comparison, metric);
    if (metric.verdict == Verdict::no_baseline) {
      if (metric.gating) missing.push_back(metric_name(metric.id));
      continue;
    }
    if (!metric.gating) {
      if (metric.verdict == Verdict::regression || metric.verdict == Verdict::improvement) {
        out.push_back({Severity::notice, 2, change_size(metric),
                       fmt::format("Information: {} {}", label,
                                   metric.verdict == Verdict::regression ? "fell" : "rose"),
                       explained(metric, measured + ".", "Information only, not gated.")});
      }
      continue;
    }
    switch (metric.verdict) {
      case Verdict::regression:
        out.push_back({Severity::error, 1, change_size(metric),
                       fmt::format("Regression: {}", label),
                       explained(metric, fmt::format("{}, beyond the {} threshold.", measured,
                                                     format_percent(comparison.threshold))) +
                           drop_split_text(metric) + sampling_text(metric)});
        break;
      case Verdict::improvement:
        out.push_back({Severity::notice, 1, change_size(metric),
                       fmt::format("Improvement: {}", label),
                       explained(metric, measured + ".",
                                 comparison.ab ? "" : "Update the baseline to keep this level.")});
        break;
      case Verdict::inconclusive:
        out.push_back({Severity::warning, 1, change_size(metric),
                       fmt::format("Inconclusive: {}", label),
                       explained(metric, measured + "; the measurements are too spread to decide.",
                                 "Rerun with more rounds or a larger --time-budget.")});
        break;
      case Verdict::pass:
      case Verdict::no_baseline:
        break;
    }
    const auto& estimate = metric.current;
    // An A/B verdict rests on the paired interval, not on the head's own spread.
    if (!comparison.ab && metric.verdict != Verdict::inconclusive && estimate.value > 0 &&
        (estimate.high - estimate.low) / estimate.value > k_wide_interval) {
      const double width = (estimate.high - estimate.low) / estimate.value;
      out.push_back({Severity::warning, 2, width, fmt::format("Noisy measurement: {}", label),
                     fmt::format("The interval {} spans {} of the estimate {}; more rounds or a "
                                 "quieter runner would narrow it.",
                                 format_interval(estimate.low, estimate.high),
                                 format_percent(std::round(width * 100) / 100),
                                 format_ratio(estimate.value))});
    }
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& name : missing) list += (list.empty() ? "" : ", ") + name;
    out.push_back({Severity::notice, 0, 0, "No baseline",
                   fmt::format("No baseline for key {} yet for {} metric{} ({}). This run's "
                               "numbers become the baseline once committed with 'gilguard "
                               "baseline update'.",
                               comparison.baseline_key.empty() ? std::string("(none)")
                                                               : comparison.baseline_key,
                               missing.size(), missing.size() == 1 ? "" : "s", list)});
  }
}

void add_failed_checks(const Comparison& comparison, const RunResult* run,
                       std::vector<Finding>& out) {
  std::set<std::string> seen;
  for (const auto& message : comparison.failed_checks) {
    if (!seen.insert(message).second) continue;
    out.push_back({Severity::error, 0, 0, "Failed check", message});
  }
  if (run == nullptr) return;
  for (const auto& failure : run->failures) {
    if (!seen.insert(failure.message).second) continue;
    out.push_back(
        {Severity::error, 0, 0, fmt::format("Failed check: {}", failure.kind), failure.message});
  }
}

// Rounds set aside for interference: the verdict did not rest on them, but the reader should
// know the machine was shared.
void add_interference(const Comparison& comparison, std::vector<Finding>& out) {
  if (!comparison.interference) return;
  const auto& seen = *comparison.interference;
  if (seen.throttled > 0.01)
    out.push_back({Severity::notice, 5, seen.throttled, "CPU quota",
                   fmt::format("The cgroup CPU quota throttled the benchmark for up to {:.0f}% of "
                               "a timed region: this runner's parallel capacity is below its CPU "
                               "count. The speedup against processes is measured under the same "
                               "quota, so it still compares.",
                               seen.throttled * 100)});
  if (seen.set_aside == 0) return;
  out.push_back(
      {Severity::warning, 2, seen.worst, "Interference",
       fmt::format("{} of {} samples were set aside: {} took up to {:.0f}% of a timed region "
                   "(median {:.1f}%), and unevenly where a ratio compares two regions. The verdict "
                   "rests on the other rounds; on a dedicated or quieter runner fewer are lost.",
                   seen.set_aside, seen.samples, seen.dominant, seen.worst * 100,
                   seen.median * 100)});
}

void add_run_findings(const RunResult& run, std::vector<Finding>& out) {
  const auto& machine = run.machine;
  if (machine.usable_cpus > 0 && machine.usable_cpus < 2) {
    out.push_back({Severity::warning, 0, 0, "Too few CPUs",
                   fmt::format("Only {} usable CPU{} ({} logical): thread speedups cannot show "
                               "scaling here. Use a runner with at least 2 CPUs (4 or more "
                               "recommended).",
                               machine.usable_cpus, machine.usable_cpus == 1 ? "" : "s",
                               machine.logical_cpus)});
  }
  if (machine.usable_cpus > 0 && machine.load_start[0] > machine.usable_cpus) {
    out.push_back({Severity::warning, 3, machine.load_start[0], "Busy machine",
                   fmt::format("The 1-minute load average was {:.2f} at the start, more than the "
                               "{} usable CPUs: other work competed with the benchmark.",
                               machine.load_start[0], machine.usable_cpus)});
  }
  std::set<std::string> seen;
  for (const auto& sample : run.samples) {
    for (const auto& warning : sample.warnings) {
      if (!seen.insert(warning).second) continue;
      out.push_back({Severity::warning, 4, 0,
                     fmt::format("RuntimeWarning ({})", flavor_label(sample.cell.flavor)),
                     warning});
    }
  }
}

}  // namespace

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::notice:
      return "notice";
  }
  return "notice";
}

std::vector<Finding> collect_findings(const Comparison& comparison, const RunResult* run) {
  std::vector<Finding> findings;
  add_failed_checks(comparison, run, findings);
  add_metric_findings(comparison, findings);
  add_interference(comparison, findings);
  add_split_findings(comparison, findings);
  if (comparison.workload_note)
    findings.push_back(
        {Severity::warning, 0, 0, "Workload file changed", *comparison.workload_note});
  if (run != nullptr) add_run_findings(*run, findings);
  rank_findings(findings);
  return findings;
}

void rank_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity < b.severity;
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.weight > b.weight;
  });
}

}  // namespace gilguard::report
