#include "gilguard/baseline/update.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "gilguard/baseline/key.hpp"
#include "gilguard/stats/attribution.hpp"
#include "gilguard/stats/compare.hpp"

namespace gilguard::baseline {

BaselineEntry entry_from_results(const RunResult& result) {
  BaselineEntry entry;
  auto& p = entry.summary.provenance;
  p.commit = result.source_commit;
  p.date = result.started_at;
  p.gilguard_version = result.gilguard_version;
  p.cpu_model = result.machine.cpu_model;
  p.machine_id = result.machine.machine_id;
  p.cpu_key = result.machine.cpu.key();
  p.gil_version = result.gil.version;
  p.gil_config_args = result.gil.config_args;
  p.ft_version = result.ft.version;
  p.ft_config_args = result.ft.config_args;
  p.workload_digest = result.parameters.workload_digest.value_or("");
  entry.per_round = stats::metric_samples(result.samples);
  for (const auto& samples : entry.per_round) {
    Estimate estimate = stats::summarize(samples);
    // A percentile interval need not contain the point estimate; the file format requires it.
    estimate.low = std::min(estimate.low, estimate.value);
    estimate.high = std::max(estimate.high, estimate.value);
    estimate.split = stats::metric_split(result.samples, samples.id);
    entry.summary.metrics.emplace_back(samples.id, estimate);
  }
  return entry;
}

Workload workload_of(const RunResult& result) {
  Workload workload;
  workload.name = result.parameters.workload;
  workload.range = result.parameters.range_sized ? 0 : result.parameters.range;
  workload.threads = result.parameters.threads;
  std::sort(workload.threads.begin(), workload.threads.end());
  workload.threads.erase(std::unique(workload.threads.begin(), workload.threads.end()),
                         workload.threads.end());
  return workload;
}

namespace {

std::string range_text(const Workload& workload) {
  return workload.range == 0 ? std::string("sized in each run") : std::to_string(workload.range);
}

}  // namespace

Expected<void> check_results_match(const Baseline& baseline, const RunResult& results) {
  const Workload workload = workload_of(results);
  if (workload.name == baseline.workload.name && workload.range == baseline.workload.range)
    return {};
  return fail(fmt::format(
      "the results are for key '{}' (workload {}, range {}), but the baseline holds key '{}' "
      "(workload {}, range {}). Pass --baseline-key with a key recorded for this workload, or "
      "point --baselines at the directory that holds its baselines",
      derive_key(results), workload.name, range_text(workload), baseline.key,
      baseline.workload.name, range_text(baseline.workload)));
}

namespace {

// Equal as a baseline file keeps them: per-round values are written to 6 significant digits.
bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::fabs(a[i] - b[i]) > 1e-5 * std::max(std::fabs(a[i]), std::fabs(b[i]))) return false;
  }
  return true;
}

bool same_run(const BaselineEntry& a, const BaselineEntry& b) {
  const auto& pa = a.summary.provenance;
  const auto& pb = b.summary.provenance;
  if (pa.date != pb.date || pa.commit != pb.commit || a.per_round.size() != b.per_round.size())
    return false;
  for (const auto& samples : a.per_round) {
    const auto other = std::find_if(b.per_round.begin(), b.per_round.end(),
                                    [&](const MetricSamples& s) { return s.id == samples.id; });
    if (other == b.per_round.end() || !same_values(samples.values, other->values)) return false;
  }
  return true;
}

}  // namespace

bool holds_run(const Baseline& baseline, const BaselineEntry& entry) {
  return std::any_of(baseline.runs.begin(), baseline.runs.end(),
                     [&](const BaselineEntry& run) { return same_run(run, entry); });
}

Baseline add_run(std::optional<Baseline> existing, const std::string& key, const Workload& workload,
                 BaselineEntry entry, int max_runs, bool reset) {
  Baseline baseline;
  if (existing && !reset) {
    baseline = std::move(*existing);
  } else {
    baseline.key = key;
    baseline.workload = workload;
  }
  baseline.schema_version = k_schema_version;
  baseline.runs.push_back(std::move(entry));
  const auto keep = static_cast<std::size_t>(std::max(max_runs, 1));
  if (baseline.runs.size() > keep)
    baseline.runs.erase(
        baseline.runs.begin(),
        baseline.runs.begin() + static_cast<std::ptrdiff_t>(baseline.runs.size() - keep));
  std::set<int> threads(workload.threads.begin(), workload.threads.end());
  for (const auto& run : baseline.runs) {
    for (const auto& [id, estimate] : run.summary.metrics) threads.insert(id.threads);
  }
  baseline.workload.threads.assign(threads.begin(), threads.end());
  return baseline;
}

std::string commit_message(const Baseline& baseline, const Provenance& source, bool reset,
                           const std::vector<std::string>& files) {
  const std::string short_commit =
      source.commit.empty() ? "an unknown commit" : source.commit.substr(0, 12);
  std::string message = fmt::format("baselines: {} {} from {}\n\n", reset ? "reset" : "update",
                                    baseline.key, short_commit);
  message += fmt::format(
      "Measured on {} at {} by gilguard {}.\n",
      source.commit.empty() ? "an unknown source commit" : "source commit " + source.commit,
      source.date.empty() ? "an unknown time" : source.date,
      source.gilguard_version.empty() ? "(unknown version)" : source.gilguard_version);
  message += fmt::format("The baseline now keeps {} run{}{}.\n", baseline.runs.size(),
                         baseline.runs.size() == 1 ? "" : "s",
                         reset ? " (earlier runs were discarded with --reset)" : "");
  if (!files.empty()) {
    message += "\nFiles:\n";
    for (const auto& file : files) message += "  " + file + "\n";
  }
  return message;
}

}  // namespace gilguard::baseline
