#include "gilguard/baseline/comparison_codec.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "gilguard/baseline/child_codec.hpp"
#include "gilguard/baseline/json_node.hpp"
#include "gilguard/baseline/json_text.hpp"
#include "gilguard/util/files.hpp"

namespace gilguard::baseline {
namespace {

namespace json = boost::json;

// A finite number, or nullopt for JSON null.
std::optional<double> read_optional_number(const Node& node) {
  if (node.value().is_null()) return std::nullopt;
  return node.as_number();
}

Verdict read_verdict(const Node& node) {
  const std::string text = node.as_string();
  const auto verdict = parse_verdict(text);
  if (!verdict) {
    node.reject(
        fmt::format("'{}' is not a verdict (pass, regression, improvement, inconclusive, "
                    "no-baseline)",
                    text));
  }
  return *verdict;
}

MetricComparison read_metric(const Node& node) {
  node.allow_only({"metric", "gating", "verdict", "current", "baseline", "baseline_low",
                   "baseline_high", "change", "change_low", "change_high", "baseline_runs",
                   "baseline_machines", "explanation", "split", "baseline_split", "functions",
                   "sampling"});
  MetricComparison m;
  const auto name = node.field("metric");
  const auto id = parse_metric_name(name.as_string());
  if (!id) {
    name.reject(fmt::format("'{}' is not a metric name (like ft-speedup-4 or ft-overhead)",
                            name.as_string()));
  }
  m.id = *id;
  m.gating = node.field("gating").as_bool();
  m.verdict = read_verdict(node.field("verdict"));
  const auto current = node.field("current");
  current.allow_only({"value", "low", "high", "rounds"});
  m.current.value = current.field("value").as_number();
  m.current.low = current.field("low").as_number();
  m.current.high = current.field("high").as_number();
  m.current.rounds = static_cast<int>(current.field("rounds").as_integer(0, 1'000'000));
  if (m.current.low > m.current.high) current.reject("low is above high");
  m.baseline = read_optional_number(node.field("baseline"));
  m.baseline_low = read_optional_number(node.field("baseline_low"));
  m.baseline_high = read_optional_number(node.field("baseline_high"));
  m.change = read_optional_number(node.field("change"));
  m.change_low = node.optional_number("change_low");
  m.change_high = node.optional_number("change_high");
  m.baseline_runs = static_cast<int>(node.field("baseline_runs").as_integer(0, 1'000'000));
  if (const auto machines = node.optional_field("baseline_machines"))
    m.baseline_machines = static_cast<int>(machines->as_integer(0, 1'000'000));
  m.explanation = node.field("explanation").as_string();
  if (const auto split = node.optional_field("split")) m.current.split = loss_split_from(*split);
  if (const auto split = node.optional_field("baseline_split"))
    m.baseline_split = loss_split_from(*split);
  if (const auto functions = node.optional_field("functions")) {
    for (const auto& f : functions->elements()) {
      f.allow_only({"name", "threads", "processes"});
      m.functions.push_back({f.field("name").as_string(), f.field("threads").as_number(),
                             f.field("processes").as_number()});
    }
  }
  if (const auto sampling = node.optional_field("sampling")) m.sampling = sampling->as_string();
  return m;
}

}  // namespace

json::value to_json(const Comparison& comparison) {
  json::array metrics;
  for (const auto& m : comparison.metrics) {
    json::object current;
    current["value"] = m.current.value;
    current["low"] = m.current.low;
    current["high"] = m.current.high;
    current["rounds"] = m.current.rounds;
    json::object metric;
    metric["metric"] = metric_name(m.id);
    metric["gating"] = m.gating;
    metric["verdict"] = to_string(m.verdict);
    metric["current"] = std::move(current);
    metric["baseline"] = number_or_null(m.baseline);
    metric["baseline_low"] = number_or_null(m.baseline_low);
    metric["baseline_high"] = number_or_null(m.baseline_high);
    metric["change"] = number_or_null(m.change);
    if (m.change_low || m.change_high) {
      metric["change_low"] = number_or_null(m.change_low);
      metric["change_high"] = number_or_null(m.change_high);
    }
    metric["baseline_runs"] = m.baseline_runs;
    metric["baseline_machines"] = m.baseline_machines;
    metric["explanation"] = m.explanation;
    if (m.current.split) metric["split"] = loss_split_json(*m.current.split);
    if (m.baseline_split) metric["baseline_split"] = loss_split_json(*m.baseline_split);
    if (!m.functions.empty()) {
      json::array functions;
      for (const auto& f : m.functions)
        functions.emplace_back(
            json::object{{"name", f.name}, {"threads", f.threads}, {"processes", f.processes}});
      metric["functions"] = std::move(functions);
    }
    if (!m.sampling.empty()) metric["sampling"] = m.sampling;
    metrics.emplace_back(std::move(metric));
  }
  json::array failed;
  for (const auto& check : comparison.failed_checks) failed.emplace_back(check);
  json::object out;
  out["schema_version"] =
      comparison.ab ? k_comparison_schema_version_ab : k_comparison_schema_version;
  out["overall"] = to_string(comparison.overall);
  if (comparison.ab)
    out["base"] = json::object{{"label", comparison.base_label},
                               {"head_version", comparison.head_version},
                               {"base_version", comparison.base_version}};
  out["baseline_key"] = comparison.baseline_key;
  out["baseline_path"] = comparison.baseline_path;
  out["threshold"] = comparison.threshold;
  out["failed_checks"] = std::move(failed);
  out["metrics"] = std::move(metrics);
  if (comparison.workload_note) out["workload_note"] = *comparison.workload_note;
  if (!comparison.workload.empty()) out["workload"] = comparison.workload;
  if (comparison.interference) {
    const auto& i = *comparison.interference;
    out["interference"] = json::object{{"samples", i.samples},   {"set_aside", i.set_aside},
                                       {"worst", i.worst},       {"median", i.median},
                                       {"dominant", i.dominant}, {"throttled", i.throttled}};
  }
  return out;
}

std::string comparison_to_json_text(const Comparison& comparison) {
  return to_pretty_json(to_json(comparison));
}

Expected<Comparison> comparison_from_json(const json::value& value) {
  try {
    const Node root(value, "");
    root.allow_only({"schema_version", "overall", "base", "baseline_key", "baseline_path",
                     "threshold", "failed_checks", "metrics", "interference", "workload_note",
                     "workload"});
    const auto version = root.field("schema_version");
    const auto schema = version.as_integer(0, 1 << 30);
    if (schema < 1 || schema > k_comparison_schema_version_ab) {
      version.reject(
          fmt::format("this gilguard reads comparisons with schema_version 1 to {}, not {}; "
                      "rerun 'gilguard compare' with this version",
                      k_comparison_schema_version_ab, schema));
    }
    Comparison comparison;
    if (schema >= k_comparison_schema_version_ab) {
      const auto base = root.field("base");
      base.allow_only({"label", "head_version", "base_version"});
      comparison.ab = true;
      comparison.base_label = base.field("label").as_string();
      // Absent from comparisons written before the versions were recorded.
      if (const auto head = base.optional_field("head_version"))
        comparison.head_version = head->as_string();
      if (const auto old = base.optional_field("base_version"))
        comparison.base_version = old->as_string();
    }
    comparison.overall = read_verdict(root.field("overall"));
    comparison.baseline_key = root.field("baseline_key").as_string();
    comparison.baseline_path = root.field("baseline_path").as_string();
    const auto threshold = root.field("threshold");
    comparison.threshold = threshold.as_number();
    if (comparison.threshold < 0 || comparison.threshold >= 1) {
      threshold.reject("must be a fraction in [0, 1), like 0.05 for 5%");
    }
    for (const auto& check : root.field("failed_checks").elements()) {
      comparison.failed_checks.push_back(check.as_string());
    }
    for (const auto& metric : root.field("metrics").elements()) {
      comparison.metrics.push_back(read_metric(metric));
    }
    if (const auto note = root.optional_field("workload_note"))
      comparison.workload_note = note->as_string();
    if (const auto workload = root.optional_field("workload"))
      comparison.workload = workload->as_string();
    if (const auto node = root.optional_field("interference")) {
      node->allow_only({"samples", "set_aside", "worst", "median", "dominant", "throttled"});
      InterferenceSummary i;
      i.samples = static_cast<int>(node->field("samples").as_integer(0, 1 << 30));
      i.set_aside = static_cast<int>(node->field("set_aside").as_integer(0, 1 << 30));
      i.worst = node->field("worst").as_number();
      i.median = node->field("median").as_number();
      i.dominant = node->field("dominant").as_string();
      if (const auto throttled = node->optional_field("throttled"))
        i.throttled = throttled->as_number();
      comparison.interference = i;
    }
    return comparison;
  } catch (const FieldError& e) {
    return fail(e.what());
  }
}

Expected<Comparison> comparison_from_json_text(std::string_view text) {
  auto parsed = parse_json(text);
  if (!parsed) return std::unexpected(parsed.error());
  return comparison_from_json(*parsed);
}

Expected<Comparison> read_comparison_file(const std::filesystem::path& path) {
  auto text = util::read_json_file(path);
  if (!text) return std::unexpected(text.error());
  auto comparison = comparison_from_json_text(*text);
  if (!comparison) return fail(fmt::format("{}: {}", path.string(), comparison.error().message));
  return comparison;
}

}  // namespace gilguard::baseline
