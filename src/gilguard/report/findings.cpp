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
                                                     format_percent(comparison.threshold)))});
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
