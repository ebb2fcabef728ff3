#include "gilguard/report/run_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "gilguard/report/format.hpp"

namespace gilguard::report {
namespace {

// First and last columns (names, notes) left-aligned, numbers right-aligned, two spaces apart.
std::string layout(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line += "  ";
      const bool left = i == 0 || i + 1 == row.size();
      line += left ? fmt::format("{:<{}}", row[i], widths[i])
                   : fmt::format("{:>{}}", row[i], widths[i]);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

std::string with_thousands(std::int64_t value) {
  const auto digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

int failed_samples(const RunResult& result, const Cell& cell) {
  return static_cast<int>(
      std::count_if(result.samples.begin(), result.samples.end(),
                    [&](const Sample& s) { return s.round > 0 && !s.ok && s.cell == cell; }));
}

// The warnings the children recorded, each distinct text once over the whole run, in the order
// first seen; empty when there were none.
std::string warnings_seen(const RunResult& result) {
  std::vector<std::string> texts;
  int most = 0;  // the largest count one child recorded
  for (const auto& s : result.samples) {
    most = std::max({most, s.distinct_warnings, static_cast<int>(s.warnings.size())});
    for (const auto& w : s.warnings)
      if (std::find(texts.begin(), texts.end(), w) == texts.end()) texts.push_back(w);
  }
  if (texts.empty()) return {};
  std::string out =
      most > static_cast<int>(texts.size())
          ? fmt::format(
                "Warnings raised by the code under test ({} distinct in one child; the "
                "first of them, each once):\n",
                most)
          : fmt::format("Warnings raised by the code under test (each once):\n");
  for (const auto& w : texts) out += fmt::format("- {}\n", w);
  return out;
}

}  // namespace

std::string render_run_table(const RunResult& result, const RunTableOptions& options) {
  const auto& p = result.parameters;
  const std::string what =
      p.workload == "primes"
          ? fmt::format("Primes below {} ({} expected)", with_thousands(p.range),
                        with_thousands(p.expected_count))
          : fmt::format("Workload {} over indices [0, {}){}", p.workload, with_thousands(p.range),
                        p.range_sized ? " (range sized in the warm-up)" : "");
  std::string out = fmt::format("{}, {} measured round{} after a warm-up, seed {}\n\n", what,
                                p.rounds, p.rounds == 1 ? "" : "s", p.seed);

  const bool bounds = !options.split_bound.empty();
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header{"interpreter", "threads",   "rounds",
                                  "t_seq (s)",   "t_par (s)", "speedup",
                                  "efficiency",  "imbalance", "warm-up"};
  if (bounds) header.emplace_back("split bound");
  header.emplace_back("note");
  rows.push_back(header);
  for (const auto& s : result.summaries) {
    std::vector<std::string> row{
        std::string(flavor_label(s.cell.flavor)) + (s.cell.side == Side::base ? " (base)" : ""),
        std::to_string(s.cell.threads), std::to_string(s.rounds)};
    if (s.rounds > 0) {
      row.push_back(fmt::format("{:.3f}", s.median_t_seq));
      row.push_back(fmt::format("{:.3f}", s.median_t_par));
      row.push_back(format_ratio(s.median_speedup));
      row.push_back(fmt::format("{:.0f}%", s.efficiency * 100));
      row.push_back(fmt::format("{:.2f}", s.load_imbalance));
      row.push_back(format_warm_up(s.thread_warm_up));
    } else {
      row.insert(row.end(), 6, "-");
    }
    if (bounds) {
      const auto it = options.split_bound.find(s.cell.threads);
      row.push_back(it == options.split_bound.end() ? "-" : format_ratio(it->second));
    }
    std::vector<std::string> notes;
    if (!s.cell.gated)
      notes.push_back(fmt::format("more threads than the {} usable CPUs: not gated",
                                  result.machine.usable_cpus));
    if (const int failed = failed_samples(result, s.cell); failed > 0)
      notes.push_back(fmt::format("{} failed round{}", failed, failed == 1 ? "" : "s"));
    row.push_back(fmt::format("{}", fmt::join(notes, "; ")));
    rows.push_back(std::move(row));
  }
  out += layout(rows);
  out += "\n";
  if (result.ft_overhead > 0)
    out += fmt::format(
        "Free-threaded single-thread overhead: {} (t_seq free-threaded / GIL, paired by round)\n",
        format_ratio(result.ft_overhead));
  out += fmt::format(
      "Speedup = t_seq / t_par (medians over rounds); imbalance = slowest thread / "
      "mean thread time.\n");
  out += fmt::format("{}\n", k_warm_up_note);
  const auto& m = result.machine;
  out += fmt::format("Machine: {}; {} {} {}; load average {:.2f} at start, {:.2f} at end\n",
                     describe_machine(m), m.os, m.arch, m.kernel, m.load_start[0], m.load_end[0]);
  out += fmt::format("GIL: {} (Python {}); free-threaded: {} (Python {})\n", result.gil.path,
                     result.gil.version, result.ft.path, result.ft.version);
  if (result.is_ab())
    out += fmt::format("Base {}: GIL {} (Python {}); free-threaded {} (Python {})\n",
                       result.base_label, result.base_gil->path, result.base_gil->version,
                       result.base_ft->path, result.base_ft->version);
  out += warnings_seen(result);
  if (!result.failures.empty()) {
    out += fmt::format("\nFailed checks ({}):\n", result.failures.size());
    for (const auto& f : result.failures) out += fmt::format("- [{}] {}\n", f.kind, f.message);
  }
  return out;
}

}  // namespace gilguard::report
