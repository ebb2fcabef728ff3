#include "gilguard/report/text.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "gilguard/report/annotations.hpp"
#include "gilguard/report/findings.hpp"
#include "gilguard/report/format.hpp"

namespace gilguard::report {
namespace {

constexpr std::string_view k_reset = "\x1b[0m";
constexpr std::string_view k_bold = "\x1b[1m";
constexpr std::string_view k_red = "\x1b[31m";
constexpr std::string_view k_green = "\x1b[32m";
constexpr std::string_view k_yellow = "\x1b[33m";
constexpr std::string_view k_cyan = "\x1b[36m";

std::string_view verdict_colour(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return k_green;
    case Verdict::regression:
      return k_red;
    case Verdict::improvement:
      return k_cyan;
    case Verdict::inconclusive:
      return k_yellow;
    case Verdict::no_baseline:
      return k_cyan;
  }
  return k_yellow;
}

std::string_view severity_colour(Severity severity) {
  switch (severity) {
    case Severity::error:
      return k_red;
    case Severity::warning:
      return k_yellow;
    case Severity::notice:
      return k_cyan;
  }
  return k_cyan;
}

// `text` wrapped in `code` ... reset when colour is on.
std::string paint(bool colour, std::string_view code, std::string_view text) {
  if (!colour) return std::string(text);
  return fmt::format("{}{}{}", code, text, k_reset);
}

// Display columns of `text`, counting code points (our cells are ASCII except the em dash).
std::size_t columns(const std::string& text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

// Pads `text` with spaces to `width` display columns.
std::string pad(const std::string& text, std::size_t width) {
  const std::size_t used = columns(text);
  return text + std::string(width > used ? width - used : 0, ' ');
}

// Continuation lines of a multi-line message, indented under the first.
std::string indented(const std::string& text) {
  std::string out;
  for (const char c : text) {
    out += c;
    if (c == '\n') out += "      ";
  }
  return out;
}

}  // namespace

std::string render_text(const Comparison& comparison, const RunResult* run,
                        const ReportLinks& links, bool colour) {
  const Headline head = headline(comparison);
  const Verdict shown = head.bad && comparison.overall != Verdict::regression ? Verdict::regression
                                                                              : comparison.overall;
  std::string out = fmt::format("{} {}\n",
                                paint(colour, fmt::format("{}{}", k_bold, verdict_colour(shown)),
                                      fmt::format("gilguard: {}.", head.status)),
                                defuse_commands(head.sentence));

  std::vector<std::vector<std::string>> rows = {
      {"flavour", "threads", comparison.ab ? "base" : "baseline", "this run [interval]",
       comparison.ab ? "change [paired interval]" : "change", "verdict"}};
  std::vector<Verdict> verdicts = {Verdict::pass};
  for (const auto* metric : ordered_metrics(comparison)) {
    const auto& id = metric->id;
    const std::string change = format_change_with_interval(*metric);
    rows.push_back(
        {std::string(flavor_label(id.flavor)),
         id.kind == MetricKind::overhead     ? std::string("overhead")
         : id.kind == MetricKind::time       ? std::string("time")
         : id.kind == MetricKind::background ? std::string("background")
         : id.kind == MetricKind::relative   ? fmt::format("{} vs proc", id.threads)
                                             : std::to_string(id.threads),
         metric->baseline ? format_value(id, *metric->baseline) : "—",
         metric->current.rounds > 0
             ? fmt::format("{} {}", format_value(id, metric->current.value),
                           format_value_interval(id, metric->current.low, metric->current.high))
             : std::string("—"),
         change, std::string(verdict_label(metric->verdict)) + (metric->gating ? "" : " (info)")});
    verdicts.push_back(metric->verdict);
  }
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], columns(row[i]));
    }
  }
  out += "\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line = " ";
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      const bool last = i + 1 == rows[r].size();
      std::string cell = last ? rows[r][i] : pad(rows[r][i], widths[i]);
      if (r == 0) {
        cell = paint(colour, k_bold, cell);
      } else if (last) {
        cell = paint(colour, verdict_colour(verdicts[r]), cell);
      }
      line += " " + cell;
    }
    out += line + "\n";
  }
  // The workload when it is not the default, so that a report of one benchmark of several
  // names it (the baseline key holds it too, but not an A/B line).
  if (!comparison.workload.empty() && comparison.workload != "primes")
    out += fmt::format("\n  workload {}", defuse_commands(comparison.workload));
  if (comparison.ab)
    out += fmt::format("\n  against {}, measured in the same rounds; {}threshold {}\n",
                       defuse_commands(reference_name(comparison)),
                       comparison.baseline_key.empty()
                           ? std::string()
                           : fmt::format("key {}; ", defuse_commands(comparison.baseline_key)),
                       format_percent(comparison.threshold));
  else
    out += fmt::format(
        "\n  baseline {}, threshold {}\n",
        comparison.baseline_key.empty() ? "(none)" : defuse_commands(comparison.baseline_key),
        format_percent(comparison.threshold));

  const auto findings = collect_findings(comparison, run);
  if (!findings.empty()) {
    out += "\n";
    for (const auto& finding : findings) {
      out +=
          fmt::format("  {} {}: {}\n",
                      paint(colour, severity_colour(finding.severity),
                            fmt::format("{:<7}", to_string(finding.severity))),
                      defuse_commands(finding.title), indented(defuse_commands(finding.message)));
    }
  }
  if (offers_baseline_update(comparison, head)) {
    out += fmt::format("\n  To record this run as the baseline: {}\n",
                       defuse_commands(update_command(links)));
  }
  return out;
}

}  // namespace gilguard::report
