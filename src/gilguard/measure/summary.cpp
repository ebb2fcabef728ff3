#include "gilguard/measure/summary.hpp"

#include <algorithm>
#include <map>
#include <numeric>

#include "gilguard/stats/attribution.hpp"
#include "gilguard/stats/estimators.hpp"

namespace gilguard::measure {

namespace {

// stats::median, with 0 for a cell without ok samples (summaries are written to JSON, which has
// no NaN).
double median(std::vector<double> values) {
  return values.empty() ? 0 : stats::median(std::move(values));
}

}  // namespace

double load_imbalance(const std::vector<double>& thread_times) {
  if (thread_times.empty()) return 0;
  const double total = std::accumulate(thread_times.begin(), thread_times.end(), 0.0);
  if (total <= 0) return 0;
  const double mean = total / static_cast<double>(thread_times.size());
  return *std::max_element(thread_times.begin(), thread_times.end()) / mean;
}

std::vector<CellSummary> summarize_cells(const std::vector<Cell>& cells,
                                         const std::vector<Sample>& samples) {
  std::vector<CellSummary> summaries;
  for (const auto& cell : cells) {
    std::vector<double> speedups;
    std::vector<double> imbalances;
    std::vector<double> seqs;
    std::vector<double> pars;
    std::vector<double> warm_ups;
    for (const auto& s : samples) {
      if (s.round < 1 || !s.ok || s.cell.flavor != cell.flavor || s.cell.threads != cell.threads ||
          s.cell.side != cell.side)
        continue;
      speedups.push_back(s.speedup());
      imbalances.push_back(load_imbalance(s.thread_times));
      seqs.push_back(s.t_seq);
      pars.push_back(s.t_par);
      if (!s.thread_warm_up.empty())
        warm_ups.push_back(std::accumulate(s.thread_warm_up.begin(), s.thread_warm_up.end(), 0.0) /
                           static_cast<double>(s.thread_warm_up.size()));
    }
    CellSummary summary;
    summary.cell = cell;
    summary.rounds = static_cast<int>(speedups.size());
    summary.median_speedup = median(speedups);
    summary.efficiency = summary.median_speedup / cell.threads;
    summary.load_imbalance = median(imbalances);
    summary.median_t_seq = median(seqs);
    summary.median_t_par = median(pars);
    if (!warm_ups.empty()) summary.thread_warm_up = median(warm_ups);
    if (cell.threads > 1) summary.loss_split = stats::cell_split(samples, cell);
    summaries.push_back(summary);
  }
  return summaries;
}

std::optional<double> ft_overhead(const std::vector<Sample>& samples) {
  // The smallest thread count at which both flavours have a measured ok sample.
  std::map<int, std::pair<bool, bool>> seen;
  for (const auto& s : samples) {
    if (s.round < 1 || !s.ok || s.cell.side != Side::head) continue;
    auto& flags = seen[s.cell.threads];
    (s.cell.flavor == Flavor::gil ? flags.first : flags.second) = true;
  }
  std::optional<int> threads;
  for (const auto& [count, flags] : seen) {
    if (flags.first && flags.second) {
      threads = count;
      break;
    }
  }
  if (!threads) return std::nullopt;
  // round -> {gil t_seq, ft t_seq}
  std::map<int, std::pair<std::optional<double>, std::optional<double>>> by_round;
  for (const auto& s : samples) {
    if (s.round < 1 || !s.ok || s.cell.threads != *threads || s.t_seq <= 0 ||
        s.cell.side != Side::head)
      continue;
    auto& pair = by_round[s.round];
    (s.cell.flavor == Flavor::gil ? pair.first : pair.second) = s.t_seq;
  }
  std::vector<double> ratios;
  for (const auto& [round, pair] : by_round)
    if (pair.first && pair.second) ratios.push_back(*pair.second / *pair.first);
  if (ratios.empty()) return std::nullopt;
  return median(ratios);
}

}  // namespace gilguard::measure
