#include "gilguard/stats/drift.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace gilguard::stats {

namespace {

// The mean of the log estimates of runs[first, first + count).
double mean_log(const std::vector<double>& logs, std::size_t first, std::size_t count) {
  double sum = 0;
  for (std::size_t i = first; i < first + count; ++i) sum += logs[i];
  return sum / static_cast<double>(count);
}

}  // namespace

std::vector<BaselineDrift> baseline_drift(const std::vector<BaselineRun>& runs,
                                          const CompareOptions& given, int runs_per_group) {
  std::vector<BaselineDrift> out;
  if (runs.empty() || runs_per_group < 1) return out;
  CompareOptions options = given;
  options.cpu_key = runs.back().provenance.cpu_key;
  std::set<MetricId> ids;
  bool relative = false;
  for (const BaselineRun& run : runs)
    for (const auto& [id, estimate] : run.metrics) {
      ids.insert(id);
      relative = relative || id.kind == MetricKind::relative;
    }
  options.gate_raw_speedup = options.gate_raw_speedup || !relative;
  const auto group = static_cast<std::size_t>(runs_per_group);
  for (const MetricId& id : ids) {
    if (!is_gating(id, options)) continue;
    const MetricHistory history = metric_history(id, runs, options);
    if (history.other_cpus) continue;
    std::vector<double> logs;
    for (const BaselineRun& run : history.runs)
      if (const auto estimate = run.find(id); estimate && estimate->value > 0)
        logs.push_back(std::log(estimate->value));
    if (logs.size() < 2 * group) continue;
    const double oldest = mean_log(logs, 0, group);
    const double newest = mean_log(logs, logs.size() - group, group);
    const double change = std::expm1(newest - oldest);
    const bool drifted =
        higher_is_better(id) ? change < -options.threshold : change > options.threshold;
    if (drifted)
      out.push_back({id, std::exp(oldest), std::exp(newest), runs_per_group, options.threshold});
  }
  return out;
}

}  // namespace gilguard::stats
