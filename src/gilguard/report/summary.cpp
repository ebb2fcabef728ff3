#include "gilguard/report/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "gilguard/report/findings.hpp"
#include "gilguard/report/format.hpp"
#include "gilguard/report/markdown.hpp"

namespace gilguard::report {
namespace {

// One line of the chart: a name for the caption, its colour and one value per thread count.
struct Series {
  std::string name;
  std::string colour;
  std::vector<double> values;
};

// The values of `flavor`'s speedups (this run or baseline) at each of `threads`, or nothing
// when one is missing (a Mermaid line needs a value at every x).
std::optional<std::vector<double>> series_values(const Comparison& comparison, Flavor flavor,
                                                 const std::vector<int>& threads, bool baseline,
                                                 bool anchored) {
  std::vector<double> values;
  for (const int t : threads) {
    if (anchored && t == 1) {
      values.push_back(1.0);
      continue;
    }
    const MetricComparison* found = nullptr;
    for (const auto& metric : comparison.metrics) {
      if (metric.id == MetricId{MetricKind::speedup, flavor, t}) found = &metric;
    }
    if (found == nullptr) return std::nullopt;
    if (baseline && !found->baseline) return std::nullopt;
    values.push_back(baseline ? *found->baseline : found->current.value);
  }
  return values;
}

std::string number_list(const std::vector<double>& values) {
  std::string out;
  for (const double v : values) out += fmt::format("{}{:.2f}", out.empty() ? "" : ", ", v);
  return out;
}

std::string optional_ratio(const std::optional<double>& value) {
  return value ? format_ratio(*value) : std::string("—");
}

std::string environment_section(const RunResult& run) {
  const auto& m = run.machine;
  std::string out = "### Environment\n\n| | |\n| --- | --- |\n";
  const auto row = [&out](std::string_view name, const std::string& value) {
    out += fmt::format("| {} | {} |\n", name, value);
  };
  row("Machine", table_cell(markdown_text(describe_machine(m))));
  row("System", table_cell(code_span(fmt::format("{} {} {}", m.os, m.arch, m.kernel))));
  row("Load average (1, 5, 15 min)",
      fmt::format("{:.2f}, {:.2f}, {:.2f} at the start; {:.2f}, {:.2f}, {:.2f} at the end",
                  m.load_start[0], m.load_start[1], m.load_start[2], m.load_end[0], m.load_end[1],
                  m.load_end[2]));
  for (const auto* facts : {&run.gil, &run.ft}) {
    const bool ft = facts == &run.ft;
    std::string text = fmt::format(
        "{} {}", table_cell(code_span(facts->version)),
        table_cell(code_span(facts->executable.empty() ? facts->path : facts->executable)));
    if (!facts->config_args.empty()) {
      text += fmt::format(", configured with {}", table_cell(code_span(facts->config_args)));
    }
    row(ft ? "Free-threaded Python" : "GIL Python", text);
  }
  if (run.is_ab())
    for (const auto* facts : {&*run.base_gil, &*run.base_ft})
      row(fmt::format("Base {} Python", facts == &*run.base_ft ? "free-threaded" : "GIL"),
          fmt::format("{} {}, base {}", table_cell(code_span(facts->version)),
                      table_cell(code_span(facts->path)), table_cell(code_span(run.base_label))));
  std::string threads;
  for (const int t : run.parameters.threads) {
    threads += (threads.empty() ? "" : ", ") + std::to_string(t);
  }
  const auto& p = run.parameters;
  const std::string what =
      p.workload == "primes"
          ? fmt::format("primes below {} ({} expected)", p.range, p.expected_count)
          : fmt::format("indices [0, {}){}{}", p.range,
                        p.range_sized ? " (range sized in the warm-up)" : "",
                        p.workload_digest ? fmt::format(", file SHA-256 {}",
                                                        table_cell(code_span(*p.workload_digest)))
                                          : std::string());
  row("Workload", fmt::format("{}: {}, threads {}, {} measured rounds after a warm-up, seed {}",
                              table_cell(code_span(p.workload)), what, threads, p.rounds, p.seed));
  if (!run.source_commit.empty()) row("Commit", table_cell(code_span(run.source_commit)));
  row("gilguard", table_cell(code_span(run.gilguard_version)) +
                      (run.started_at.empty()
                           ? std::string()
                           : fmt::format(", started {}", table_cell(code_span(run.started_at)))));
  return out;
}

std::string details_section(const Comparison& comparison, const RunResult* run,
                            const ReportLinks& links) {
  std::string out = "<details>\n<summary>Raw details</summary>\n\n";
  out += "#### Comparison\n\n";
  out +=
      "| Metric | Gated | Verdict | This run | Interval | Rounds | Baseline | Baseline range | "
      "Baseline runs | Why |\n"
      "| --- | --- | --- | ---: | --- | ---: | ---: | --- | ---: | --- |\n";
  for (const auto* metric : ordered_metrics(comparison)) {
    const std::string range = metric->baseline_low && metric->baseline_high
                                  ? format_interval(*metric->baseline_low, *metric->baseline_high)
                                  : std::string("—");
    out +=
        fmt::format("| {} | {} | {} | {:.4f} | [{:.4f}, {:.4f}] | {} | {} | {} | {} | {} |\n",
                    code_span(metric_name(metric->id)), metric->gating ? "yes" : "no",
                    verdict_label(metric->verdict), metric->current.value, metric->current.low,
                    metric->current.high, metric->current.rounds, optional_ratio(metric->baseline),
                    range, metric->baseline_runs, table_cell(markdown_text(metric->explanation)));
  }
  out += fmt::format("\nThreshold {}.", format_percent(comparison.threshold));
  if (!comparison.baseline_path.empty()) {
    out += fmt::format(" Baseline file {}.", code_span(comparison.baseline_path));
  }
  if (!links.results_path.empty())
    out += fmt::format(" Results {}.", code_span(links.results_path));
  if (!links.comparison_path.empty()) {
    out += fmt::format(" Comparison {}.", code_span(links.comparison_path));
  }
  out += "\n";
  if (run != nullptr && !run->summaries.empty()) {
    out += "\n#### Cells (medians over measured rounds)\n\n";
    out +=
        "| Flavour | Threads | Gated | Rounds | Speedup | Efficiency | Load imbalance | t_seq | "
        "t_par | Thread warm-up |\n"
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    for (const auto& cell : run->summaries) {
      out +=
          fmt::format("| {} | {} | {} | {} | {} | {:.0f}% | {:.2f} | {:.3f} s | {:.3f} s | {} |\n",
                      flavor_label(cell.cell.flavor), cell.cell.threads,
                      cell.cell.gated ? "yes" : "no", cell.rounds,
                      format_ratio(cell.median_speedup), cell.efficiency * 100, cell.load_imbalance,
                      cell.median_t_seq, cell.median_t_par, format_warm_up(cell.thread_warm_up));
    }
    out += fmt::format("\n{}\n", k_warm_up_note);
    if (run->ft_overhead > 0) {
      out += fmt::format("\nFree-threaded single-thread overhead (paired median): {}.\n",
                         format_ratio(run->ft_overhead));
    }
  }
  std::vector<std::string> failures = comparison.failed_checks;
  if (run != nullptr) {
    for (const auto& failure : run->failures) {
      if (std::find(failures.begin(), failures.end(), failure.message) == failures.end()) {
        failures.push_back(failure.kind + ": " + failure.message);
      }
    }
  }
  if (!failures.empty()) {
    out += "\n#### Failed checks\n\n";
    for (const auto& failure : failures) out += code_block(failure, "text") + "\n";
  }
  return out + "\n</details>\n";
}

}  // namespace

std::string render_speedup_chart(const Comparison& comparison) {
  std::set<int> thread_set;
  for (const auto& metric : comparison.metrics) {
    if (metric.id.kind == MetricKind::speedup) thread_set.insert(metric.id.threads);
  }
  if (thread_set.empty()) return "";
  // Lines need a start: without a measured 1-thread speedup, the chart starts at 1.00x, which
  // is what the speedup at one thread is by definition.
  const bool anchored = thread_set.insert(1).second;
  const std::vector<int> threads(thread_set.begin(), thread_set.end());

  std::vector<Series> series;
  std::vector<double> ideal;
  for (const int t : threads) ideal.push_back(t);
  series.push_back({"grey: ideal (speedup = threads)", "#8c959f", ideal});
  // In an A/B run this run is the head, and the reference the base of the same rounds.
  const std::string current = comparison.ab ? "head" : "this run";
  const std::string line_reference = reference_name(comparison);
  const struct {
    Flavor flavor;
    bool baseline;
    const char* prefix;
    const char* colour;
  } k_lines[] = {
      {Flavor::ft, false, "blue: free-threaded", "#0969da"},
      {Flavor::ft, true, "light blue: free-threaded", "#80ccff"},
      {Flavor::gil, false, "orange: GIL", "#bc4c00"},
      {Flavor::gil, true, "light orange: GIL", "#ffb77c"},
  };
  for (const auto& line : k_lines) {
    if (auto values = series_values(comparison, line.flavor, threads, line.baseline, anchored))
      series.push_back(
          {fmt::format("{}, {}", line.prefix, line.baseline ? line_reference : current),
           line.colour, std::move(*values)});
  }
  double top = 0;
  for (const auto& s : series) {
    for (const double v : s.values) top = std::max(top, v);
  }
  top = std::ceil(top * 2 + 0.5) / 2;  // headroom, in steps of 0.5

  std::string palette;
  std::string caption;
  for (const auto& s : series) {
    palette += (palette.empty() ? "" : ", ") + s.colour;
    caption += (caption.empty() ? "" : "; ") + s.name;
  }
  std::string x_axis;
  for (const int t : threads) x_axis += fmt::format("{}\"{}\"", x_axis.empty() ? "" : ", ", t);

  std::string chart = fmt::format(
      "%%{{init: {{\"theme\": \"base\", \"themeVariables\": {{\"xyChart\": "
      "{{\"plotColorPalette\": \"{}\"}}}}}}}}%%\n",
      palette);
  chart += "xychart-beta\n";
  chart += "  title \"Speedup against threads\"\n";
  chart += fmt::format("  x-axis \"threads\" [{}]\n", x_axis);
  chart += fmt::format("  y-axis \"speedup (x)\" 0 --> {:.1f}\n", top);
  for (const auto& s : series) chart += fmt::format("  line [{}]\n", number_list(s.values));

  std::string out = code_block(chart, "mermaid");
  out += fmt::format(
      "\nLines: {}.{}\n\n", caption,
      anchored ? " At 1 thread every line starts at 1.00x, the speedup by definition." : "");
  out += "<details>\n<summary>The chart as a table</summary>\n\n";
  const std::string column = comparison.ab ? "base" : "baseline";
  out += fmt::format("| Threads | Ideal | Free-threaded | Free-threaded {} | GIL | GIL {} |\n",
                     column, column);
  out += "| ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const int t : threads) {
    if (anchored && t == 1) continue;
    std::string cells[4] = {"—", "—", "—", "—"};
    for (const auto& metric : comparison.metrics) {
      if (metric.id.kind != MetricKind::speedup || metric.id.threads != t) continue;
      const int base = metric.id.flavor == Flavor::ft ? 0 : 2;
      cells[base] = format_ratio(metric.current.value);
      cells[base + 1] = optional_ratio(metric.baseline);
    }
    out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", t, format_ratio(t), cells[0], cells[1],
                       cells[2], cells[3]);
  }
  return out + "\n</details>\n";
}

std::string render_summary(const Comparison& comparison, const RunResult* run,
                           const ReportLinks& links, std::size_t max_bytes) {
  const Headline head = headline(comparison);
  std::string out = fmt::format("## {} gilguard: {}\n\n", head.icon, head.status);
  out += markdown_text(head.sentence) + "\n\n";
  out += markdown_metric_table(comparison);

  const std::string chart = render_speedup_chart(comparison);
  if (!chart.empty()) out += "\n### Speedup against threads\n\n" + chart;

  const auto findings = collect_findings(comparison, run);
  if (!findings.empty()) {
    out += "\n### Findings\n\n" + markdown_findings(findings, findings.size());
  }
  if (run != nullptr) out += "\n" + environment_section(*run);
  if (comparison.failed_checks.empty() && !comparison.ab) {
    out += "\n" + markdown_update_section(links, "### Update the baseline");
  }
  out += "\n" + details_section(comparison, run, links);

  const std::string footer =
      links.run_url.empty()
          ? "\n*The summary was cut to fit GitHub's 1 MiB limit; the full data is in the "
            "comparison JSON.*\n"
          : fmt::format(
                "\n*The summary was cut to fit GitHub's 1 MiB limit; the full data is in "
                "the comparison JSON uploaded by [this run]({}).*\n",
                links.run_url);
  return truncate_markdown(out, max_bytes, footer);
}

}  // namespace gilguard::report
