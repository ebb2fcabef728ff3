#include "gilguard/report/sections.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "gilguard/report/format.hpp"
#include "gilguard/report/markdown.hpp"

namespace gilguard::report {
namespace {

// The first line of `text`, at most `max_bytes` long.
std::string first_line(const std::string& text, std::size_t max_bytes) {
  const std::string line = text.substr(0, text.find('\n'));
  return truncate_utf8(line, max_bytes);
}

std::vector<const MetricComparison*> gated_with(const Comparison& comparison, Verdict verdict) {
  std::vector<const MetricComparison*> out;
  for (const auto* metric : ordered_metrics(comparison)) {
    if (metric->gating && metric->verdict == verdict) out.push_back(metric);
  }
  // The largest change first: it is the one the reader should look at.
  std::stable_sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return std::fabs(a->change.value_or(0)) > std::fabs(b->change.value_or(0));
  });
  return out;
}

// The metric a reader looks at first: the free-threaded scaling metric at the most gated threads,
// the gating one first (the speedup against processes where measured).
const MetricComparison* headline_metric(const Comparison& comparison) {
  const MetricComparison* best = nullptr;
  for (const auto& metric : comparison.metrics) {
    if (metric.id.kind == MetricKind::overhead || metric.id.kind == MetricKind::time ||
        metric.id.kind == MetricKind::background || metric.id.flavor != Flavor::ft)
      continue;
    const auto rank = [](const MetricComparison& m) {
      return std::tuple(m.gating, m.id.kind == MetricKind::speedup, m.id.threads);
    };
    if (best == nullptr || rank(metric) > rank(*best)) best = &metric;
  }
  if (best == nullptr && !comparison.metrics.empty()) best = &comparison.metrics.front();
  return best;
}

const MetricComparison* find_metric(const Comparison& comparison, const MetricId& id) {
  for (const auto& metric : comparison.metrics) {
    if (metric.id == id) return &metric;
  }
  return nullptr;
}

std::string baseline_value(const MetricComparison& metric) {
  return metric.baseline ? format_value(metric.id, *metric.baseline) : std::string("no baseline");
}

// "12.1% below its baseline (1.89x against 2.15x)".
std::string change_phrase(const MetricComparison& metric) {
  const double change = metric.change.value_or(0);
  return fmt::format("{:.1f}% {} its baseline ({} against {})", std::fabs(change) * 100,
                     change < 0 ? "below" : "above", format_value(metric.id, metric.current.value),
                     baseline_value(metric));
}

// "The code under test burned 0.45 CPU outside its timed workers on the GIL build, past the
// limit of 0.050 CPU": background work has a limit, not a baseline.
std::string background_sentence(const MetricComparison& metric) {
  return fmt::format(
      "The code under test burned {} {} outside its timed workers on the {} build, {} the limit of "
      "{}",
      format_value(metric.id, metric.current.value),
      format_value_interval(metric.id, metric.current.low, metric.current.high),
      flavor_label(metric.id.flavor),
      metric.verdict == Verdict::regression ? "past" : "too close to tell from",
      baseline_value(metric));
}

std::string more_metrics(std::size_t count, std::string_view what) {
  if (count <= 1) return "";
  return fmt::format("; {} more metric{} {} too", count - 1, count == 2 ? "" : "s", what);
}

// "4.1% below base abc123 (1.52x against 1.58x; paired interval -6.0% to -2.2%)".
std::string ab_change_phrase(const MetricComparison& metric, const std::string& base) {
  const double change = metric.change.value_or(0);
  std::string out = fmt::format(
      "{:.1f}% {} {} ({} against {}", std::fabs(change) * 100, change < 0 ? "below" : "above", base,
      format_value(metric.id, metric.current.value), baseline_value(metric));
  if (metric.change_low && metric.change_high)
    out += fmt::format("; paired interval {} to {}", format_change(metric.change_low),
                       format_change(metric.change_high));
  return out + ")";
}

// The headline of an A/B comparison: head against base, measured in the same rounds.
Headline ab_headline(const Comparison& comparison, const MetricComparison& main) {
  const std::string threshold = format_percent(comparison.threshold);
  const std::string base = reference_name(comparison);
  switch (comparison.overall) {
    case Verdict::regression: {
      const auto metrics = gated_with(comparison, Verdict::regression);
      const MetricComparison* metric = metrics.empty() ? &main : metrics.front();
      if (metric->id.kind == MetricKind::background)
        return {"Regression", "❌",
                background_sentence(*metric) + more_metrics(metrics.size(), "regressed") + ".",
                true};
      return {"Regression", "❌",
              fmt::format("The {} is {}, more than the {} threshold, measured in the same "
                          "rounds{}.",
                          metric_label(metric->id), ab_change_phrase(*metric, base), threshold,
                          more_metrics(metrics.size(), "regressed")),
              true};
    }
    case Verdict::improvement: {
      const auto metrics = gated_with(comparison, Verdict::improvement);
      const MetricComparison* metric = metrics.empty() ? &main : metrics.front();
      return {
          "Improvement", "🚀",
          fmt::format("The {} is {}{}.", metric_label(metric->id), ab_change_phrase(*metric, base),
                      more_metrics(metrics.size(), "improved")),
          false};
    }
    case Verdict::inconclusive:
    case Verdict::no_baseline: {
      const auto metrics = gated_with(comparison, Verdict::inconclusive);
      const MetricComparison* metric = metrics.empty() ? &main : metrics.front();
      // No paired round left (interference set them all aside): there is no change to quote,
      // and the metric's own explanation says why.
      if (!metric->change)
        return {"Inconclusive", "⚠️",
                fmt::format("{} Rerun with a larger --time-budget, or on a quieter runner.",
                            metric->explanation),
                false};
      return {
          "Inconclusive", "⚠️",
          fmt::format("The {} could not be told apart from {} at the {} threshold ({}); "
                      "rerun with a larger --time-budget to decide.",
                      metric_label(metric->id), base, threshold, ab_change_phrase(*metric, base)),
          false};
    }
    case Verdict::pass:
      break;
  }
  std::size_t gated = 0;
  for (const auto& metric : comparison.metrics) gated += metric.gating ? 1 : 0;
  return {"No regression", "✅",
          fmt::format("All {} gated metrics are within the {} threshold of {}, measured in the "
                      "same rounds; the {} is {} against {} ({}).",
                      gated, threshold, base, metric_label(main.id),
                      format_value(main.id, main.current.value), baseline_value(main),
                      format_change(main.change)),
          false};
}

std::string_view severity_icon(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "❌";
    case Severity::warning:
      return "⚠️";
    case Severity::notice:
      return "ℹ️";
  }
  return "ℹ️";
}

std::string threads_cell(const MetricId& id) {
  if (id.kind == MetricKind::overhead) return "1 (overhead vs GIL)";
  if (id.kind == MetricKind::relative) return fmt::format("{} (threads vs processes)", id.threads);
  if (id.kind == MetricKind::time) return "1 (time, head vs base)";
  if (id.kind == MetricKind::background) return "background CPU (outside the workers)";
  return std::to_string(id.threads);
}

std::string flavor_cell(const MetricId& id) { return std::string(flavor_label(id.flavor)); }

}  // namespace

Headline headline(const Comparison& comparison) {
  const std::string threshold = format_percent(comparison.threshold);
  const std::string key =
      comparison.baseline_key.empty() ? std::string("this runner") : comparison.baseline_key;
  if (!comparison.failed_checks.empty()) {
    const auto count = comparison.failed_checks.size();
    return {"Failed check", "❌",
            fmt::format("{} check{} failed, so this run's speedups cannot be trusted: {}", count,
                        count == 1 ? "" : "s", first_line(comparison.failed_checks.front(), 300)),
            true};
  }
  const MetricComparison* main = headline_metric(comparison);
  if (main == nullptr) {
    return {"Nothing compared", "⚠️", "No metrics were measured, so nothing was compared.",
            comparison.overall == Verdict::regression};
  }
  if (comparison.ab) return ab_headline(comparison, *main);
  switch (comparison.overall) {
    case Verdict::regression: {
      const auto metrics = gated_with(comparison, Verdict::regression);
      if (metrics.empty()) {
        return {"Regression", "❌", fmt::format("The comparison with {} found a regression.", key),
                true};
      }
      if (metrics.front()->id.kind == MetricKind::background)
        return {
            "Regression", "❌",
            background_sentence(*metrics.front()) + more_metrics(metrics.size(), "regressed") + ".",
            true};
      return {"Regression", "❌",
              fmt::format("The {} is {}, more than the {} threshold and outside the baseline's "
                          "run-to-run spread{}.",
                          metric_label(metrics.front()->id), change_phrase(*metrics.front()),
                          threshold, more_metrics(metrics.size(), "regressed")),
              true};
    }
    case Verdict::improvement: {
      const auto metrics = gated_with(comparison, Verdict::improvement);
      const MetricComparison* metric = metrics.empty() ? main : metrics.front();
      return {"Improvement", "🚀",
              fmt::format("The {} is {}{}; update the baseline to keep this level.",
                          metric_label(metric->id), change_phrase(*metric),
                          more_metrics(metrics.size(), "improved")),
              false};
    }
    case Verdict::inconclusive: {
      const auto metrics = gated_with(comparison, Verdict::inconclusive);
      const MetricComparison* metric = metrics.empty() ? main : metrics.front();
      if (metric->id.kind == MetricKind::background)
        return {"Inconclusive", "⚠️",
                background_sentence(*metric) +
                    "; rerun with more rounds or a larger --time-budget to decide.",
                false};
      return {"Inconclusive", "⚠️",
              fmt::format("The {} could not be told apart from its baseline ({} {} against {}); "
                          "rerun with more rounds or a larger --time-budget to decide.",
                          metric_label(metric->id), format_ratio(metric->current.value),
                          format_interval(metric->current.low, metric->current.high),
                          baseline_value(*metric)),
              false};
    }
    case Verdict::no_baseline: {
      std::string gil;
      if (main->id.kind == MetricKind::speedup) {
        const auto* other =
            find_metric(comparison, {MetricKind::speedup, Flavor::gil, main->id.threads});
        if (other != nullptr)
          gil = fmt::format(", against {} with the GIL", format_ratio(other->current.value));
      }
      // A baseline whose runs predate the gating metric (schema 1) holds the others only.
      const bool older_runs =
          std::any_of(comparison.metrics.begin(), comparison.metrics.end(),
                      [](const MetricComparison& m) { return m.verdict != Verdict::no_baseline; });
      const std::string missing =
          older_runs ? fmt::format(
                           "The baseline for {} has no run with the {} yet, so nothing "
                           "gated was checked",
                           key, metric_label(main->id))
                     : fmt::format("There is no baseline for {} yet", key);
      return {"No baseline yet", "🆕",
              fmt::format("{}; this run measured a {} of {} {}{}. Commit it as the baseline with "
                          "the command below.",
                          missing, metric_label(main->id), format_ratio(main->current.value),
                          format_interval(main->current.low, main->current.high), gil),
              false};
    }
    case Verdict::pass:
      break;
  }
  std::size_t gated = 0;
  for (const auto& metric : comparison.metrics) gated += metric.gating ? 1 : 0;
  const std::string all = gated == 1   ? std::string("The one gated metric is")
                          : gated == 2 ? std::string("Both gated metrics are")
                                       : fmt::format("All {} gated metrics are", gated);
  return {
      "No regression", "✅",
      fmt::format("{} within the {} threshold of the baseline for {}; the {} is {} against "
                  "{} ({}).",
                  all, threshold, key, metric_label(main->id), format_ratio(main->current.value),
                  baseline_value(*main), format_change(main->change)),
      false};
}

std::vector<const MetricComparison*> ordered_metrics(const Comparison& comparison) {
  std::vector<const MetricComparison*> out;
  for (const auto& metric : comparison.metrics) out.push_back(&metric);
  const auto order = [](const MetricComparison* m) {
    const int kind = m->id.kind == MetricKind::speedup    ? 0
                     : m->id.kind == MetricKind::relative ? 1
                                                          : 2;
    const int flavor = m->id.flavor == Flavor::ft ? 0 : 1;
    return std::tuple(kind, flavor, m->id.threads);
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const auto* a, const auto* b) { return order(a) < order(b); });
  return out;
}

std::string markdown_metric_table(const Comparison& comparison) {
  std::string out = fmt::format(
      "| Flavour | Threads | {} | This run [interval] | Change{} | Verdict |\n"
      "| --- | ---: | ---: | ---: | ---: | --- |\n",
      comparison.ab ? "Base" : "Baseline", comparison.ab ? " [paired interval]" : "");
  bool any_info = false;
  for (const auto* metric : ordered_metrics(comparison)) {
    std::string verdict =
        fmt::format("{} {}", verdict_icon(metric->verdict), verdict_label(metric->verdict));
    if (!metric->gating) {
      verdict += " (info)";
      any_info = true;
    }
    const std::string change = format_change_with_interval(*metric);
    out += fmt::format(
        "| {} | {} | {} | {} {} | {} | {} |\n", flavor_cell(metric->id), threads_cell(metric->id),
        metric->baseline ? format_value(metric->id, *metric->baseline) : std::string("—"),
        format_value(metric->id, metric->current.value),
        format_value_interval(metric->id, metric->current.low, metric->current.high), change,
        verdict);
  }
  out += "\n";
  std::string line;
  // The workload when it is not the default, so that a report of one benchmark of several
  // names it.
  if (!comparison.workload.empty() && comparison.workload != "primes")
    line += fmt::format("Workload {}. ", table_cell(code_span(comparison.workload)));
  if (comparison.ab) {
    line += fmt::format("Against {}, measured in the same rounds; ",
                        table_cell(code_span(reference_name(comparison))));
    if (!comparison.baseline_key.empty())
      line += fmt::format("key {}; ", table_cell(code_span(comparison.baseline_key)));
    line += "threshold ";
  } else if (!comparison.baseline_key.empty()) {
    line += fmt::format("Baseline {}", table_cell(code_span(comparison.baseline_key)));
    int runs = 0;
    for (const auto& metric : comparison.metrics) runs = std::max(runs, metric.baseline_runs);
    if (runs > 0) line += fmt::format(" ({} run{})", runs, runs == 1 ? "" : "s");
    line += ", threshold ";
  } else {
    line += "Threshold ";
  }
  line += format_percent(comparison.threshold) + ".";
  if (any_info) line += " Rows marked (info) are reported but never fail the check.";
  return out + line + "\n";
}

std::string markdown_findings(const std::vector<Finding>& findings, std::size_t max_items) {
  std::string out;
  std::size_t shown = 0;
  for (const auto& finding : findings) {
    if (shown == max_items) break;
    ++shown;
    const std::string prefix =
        fmt::format("- {} **{}**", severity_icon(finding.severity), markdown_text(finding.title));
    if (finding.message.find('\n') == std::string::npos) {
      out += fmt::format("{}: {}\n", prefix, markdown_text(finding.message));
    } else {
      out += prefix + "\n\n" + indent(code_block(finding.message, "text"), 2) + "\n";
    }
  }
  if (shown < findings.size()) {
    out += fmt::format("- ... and {} more, in the job summary.\n", findings.size() - shown);
  }
  return out;
}

bool offers_baseline_update(const Comparison& comparison, const Headline& head) {
  if (!comparison.failed_checks.empty() || comparison.ab) return false;
  return head.bad || comparison.overall == Verdict::improvement ||
         comparison.overall == Verdict::no_baseline;
}

std::string update_command(const ReportLinks& links) {
  const std::string results = links.results_path.empty() ? "RESULTS.json" : links.results_path;
  const std::string baselines = links.baselines_dir.empty() ? "baselines" : links.baselines_dir;
  return fmt::format("gilguard baseline update {} --baselines {} --commit", shell_quote(results),
                     shell_quote(baselines));
}

std::string markdown_update_section(const ReportLinks& links, const std::string& heading) {
  std::string out = heading + "\n\n";
  out += "If the change is intended, record this run as the new baseline and push the commit:\n\n";
  out += code_block(update_command(links), "sh");
  if (!links.update_workflow.empty()) {
    out += fmt::format("\nOr run the {} workflow (Actions tab, \"Run workflow\") on this branch.\n",
                       code_span(links.update_workflow));
  }
  return out;
}

}  // namespace gilguard::report
