#include "gilguard/baseline/show.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "gilguard/baseline/store.hpp"

namespace gilguard::baseline {
namespace {

// Rows of cells, printed with every column as wide as its widest cell, two spaces apart.
std::string format_table(const std::vector<std::vector<std::string>>& rows,
                         const std::string& indent) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string format_estimate(const std::optional<Estimate>& estimate) {
  if (!estimate) return "-";
  return fmt::format("{:.2f}x", estimate->value);
}

}  // namespace

std::string format_baselines(const std::vector<Baseline>& baselines,
                             const std::filesystem::path& dir) {
  if (baselines.empty())
    return fmt::format(
        "No baselines in {}. Record one with 'gilguard baseline update RESULTS --baselines {}'.\n",
        dir.string(), dir.string());
  std::string out;
  for (const auto& baseline : baselines) {
    if (!out.empty()) out += "\n";
    out += fmt::format("{}  ({})\n", baseline.key, baseline_path(dir, baseline.key).string());
    out += fmt::format("  workload {}, range {}, threads {}; {} run{}, oldest first\n",
                       baseline.workload.name,
                       baseline.workload.range == 0 ? std::string("sized in each run")
                                                    : std::to_string(baseline.workload.range),
                       fmt::join(baseline.workload.threads, " "), baseline.runs.size(),
                       baseline.runs.size() == 1 ? "" : "s");
    std::set<std::string> machines;
    std::set<std::string> cpus;
    for (const auto& run : baseline.runs) {
      machines.insert(run.summary.provenance.machine_id);
      cpus.insert(run.summary.provenance.cpu_key);
    }
    out += fmt::format("  from {} machine{} and {} CPU identit{} (machine and CPU per run below)\n",
                       machines.size(), machines.size() == 1 ? "" : "s", cpus.size(),
                       cpus.size() == 1 ? "y" : "ies");
    std::set<MetricId> ids;
    for (const auto& run : baseline.runs) {
      for (const auto& [id, estimate] : run.summary.metrics) ids.insert(id);
    }
    // Free-threaded speedups first, then GIL speedups, then the overheads.
    std::vector<MetricId> columns;
    for (const auto kind : {MetricKind::relative, MetricKind::speedup, MetricKind::overhead}) {
      for (const auto flavor : {Flavor::ft, Flavor::gil}) {
        for (const auto& id : ids) {
          if (id.kind == kind && id.flavor == flavor) columns.push_back(id);
        }
      }
    }
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = {"date", "commit", "gilguard", "machine", "cpu"};
    for (const auto& id : columns) {
      header.push_back(id.kind == MetricKind::overhead
                           ? fmt::format("{} overhead", to_string(id.flavor))
                       : id.kind == MetricKind::relative
                           ? fmt::format("{} x{} vs proc", to_string(id.flavor), id.threads)
                           : fmt::format("{} x{}", to_string(id.flavor), id.threads));
    }
    rows.push_back(header);
    for (const auto& run : baseline.runs) {
      const auto& p = run.summary.provenance;
      std::vector<std::string> row = {p.date.empty() ? "-" : p.date,
                                      p.commit.empty() ? "-" : p.commit.substr(0, 12),
                                      p.gilguard_version.empty() ? "-" : p.gilguard_version,
                                      p.machine_id.empty() ? "unknown" : p.machine_id,
                                      p.cpu_key.empty() ? "unknown" : p.cpu_key};
      for (const auto& id : columns) row.push_back(format_estimate(run.summary.find(id)));
      rows.push_back(std::move(row));
    }
    out += format_table(rows, "  ");
  }
  return out;
}

}  // namespace gilguard::baseline
