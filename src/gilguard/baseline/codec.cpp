#include "gilguard/baseline/codec.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "gilguard/baseline/child_codec.hpp"
#include "gilguard/baseline/json_node.hpp"
#include "gilguard/baseline/json_text.hpp"
#include "gilguard/baseline/key.hpp"

namespace gilguard::baseline {
namespace {

namespace json = boost::json;

constexpr std::int64_t k_max_range = 1'000'000'000'000;
constexpr std::int64_t k_max_threads = 4096;
constexpr std::int64_t k_max_rounds = 1'000'000;

// Per-round values keep 6 significant digits: far below the run-to-run noise, and compact.
double round_significant(double value) {
  if (!std::isfinite(value) || value == 0) return value;
  return std::stod(fmt::format("{:.6g}", value));
}

const MetricSamples* find_samples(const std::vector<MetricSamples>& samples, const MetricId& id) {
  for (const auto& s : samples) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

json::object provenance_to_json(const Provenance& p) {
  json::object out;
  out["commit"] = p.commit;
  out["date"] = p.date;
  out["gilguard_version"] = p.gilguard_version;
  out["cpu_model"] = p.cpu_model;
  out["gil_version"] = p.gil_version;
  out["gil_config_args"] = p.gil_config_args;
  out["ft_version"] = p.ft_version;
  out["ft_config_args"] = p.ft_config_args;
  out["machine_id"] = p.machine_id;
  out["cpu_key"] = p.cpu_key;
  if (!p.workload_digest.empty()) out["workload_digest"] = p.workload_digest;
  return out;
}

json::object entry_to_json(const BaselineEntry& entry) {
  json::object metrics;
  for (const auto& [id, estimate] : entry.summary.metrics) {
    json::object m;
    m["value"] = estimate.value;
    m["low"] = estimate.low;
    m["high"] = estimate.high;
    m["rounds"] = estimate.rounds;
    json::array values;
    if (const auto* samples = find_samples(entry.per_round, id)) {
      for (const double v : samples->values) values.emplace_back(round_significant(v));
    }
    m["per_round"] = std::move(values);
    if (estimate.split) m["split"] = loss_split_json(*estimate.split);
    metrics[metric_name(id)] = std::move(m);
  }
  json::object out;
  out["provenance"] = provenance_to_json(entry.summary.provenance);
  out["metrics"] = std::move(metrics);
  return out;
}

Provenance provenance_from(const Node& node, int schema_version) {
  if (schema_version >= 2)
    node.allow_only({"commit", "date", "gilguard_version", "cpu_model", "gil_version",
                     "gil_config_args", "ft_version", "ft_config_args", "machine_id", "cpu_key",
                     "workload_digest"});
  else
    node.allow_only({"commit", "date", "gilguard_version", "cpu_model", "gil_version",
                     "gil_config_args", "ft_version", "ft_config_args"});
  Provenance p;
  p.commit = node.field("commit").as_string();
  p.date = node.field("date").as_string();
  p.gilguard_version = node.field("gilguard_version").as_string();
  p.cpu_model = node.field("cpu_model").as_string();
  p.gil_version = node.field("gil_version").as_string();
  p.gil_config_args = node.field("gil_config_args").as_string();
  p.ft_version = node.field("ft_version").as_string();
  p.ft_config_args = node.field("ft_config_args").as_string();
  if (schema_version >= 2) {
    p.machine_id = node.field("machine_id").as_string();
    p.cpu_key = node.field("cpu_key").as_string();
    if (const auto digest = node.optional_field("workload_digest"))
      p.workload_digest = digest->as_string();
  }
  return p;
}

BaselineEntry entry_from(const Node& node, int schema_version) {
  node.allow_only({"provenance", "metrics"});
  BaselineEntry entry;
  entry.summary.provenance = provenance_from(node.field("provenance"), schema_version);
  const Node metrics = node.field("metrics");
  const auto members = metrics.members();
  if (members.empty()) metrics.reject("no metrics; a run records at least one");
  for (const auto& [name, m] : members) {
    const auto id = parse_metric_name(name);
    if (!id)
      m.reject(
          "not a metric name; expected ft-speedup-N, gil-speedup-N, ft-relative-N, "
          "gil-relative-N, ft-overhead or gil-overhead");
    m.allow_only({"value", "low", "high", "rounds", "per_round", "split"});
    Estimate estimate;
    estimate.value = m.field("value").as_positive_number();
    estimate.low = m.field("low").as_positive_number();
    estimate.high = m.field("high").as_positive_number();
    estimate.rounds = static_cast<int>(m.field("rounds").as_integer(1, k_max_rounds));
    if (!(estimate.low <= estimate.value && estimate.value <= estimate.high))
      m.reject(fmt::format("low {}, value {}, high {}: expected low <= value <= high", estimate.low,
                           estimate.value, estimate.high));
    if (const auto split = m.optional_field("split")) estimate.split = loss_split_from(*split);
    MetricSamples samples{*id, {}};
    const auto values = m.field("per_round").elements();
    for (const auto& v : values) samples.values.push_back(v.as_positive_number());
    if (!samples.values.empty() &&
        samples.values.size() != static_cast<std::size_t>(estimate.rounds))
      m.field("per_round")
          .reject(fmt::format("{} values, but rounds is {}; expected one value per round (or none)",
                              samples.values.size(), estimate.rounds));
    entry.summary.metrics.emplace_back(*id, estimate);
    if (!samples.values.empty()) entry.per_round.push_back(std::move(samples));
  }
  return entry;
}

Workload workload_from(const Node& node) {
  node.allow_only({"name", "range", "threads"});
  Workload w;
  w.name = node.field("name").as_string();
  if (w.name.empty()) node.field("name").reject("empty; expected the workload's name, \"primes\"");
  // Range 0: a workload other than primes whose range each run sized in its warm-up.
  const auto range = node.field("range");
  const bool sized =
      w.name != "primes" && range.value().is_int64() && range.value().get_int64() == 0;
  w.range = sized ? 0 : range.as_integer(2, k_max_range);
  for (const auto& t : node.field("threads").elements()) {
    const int threads = static_cast<int>(t.as_integer(1, k_max_threads));
    if (!w.threads.empty() && threads <= w.threads.back())
      t.reject(fmt::format("{} after {}; expected thread counts in ascending order, no repeats",
                           threads, w.threads.back()));
    w.threads.push_back(threads);
  }
  return w;
}

Baseline baseline_from(const Node& root) {
  if (!root.value().is_object())
    root.reject(fmt::format("expected a JSON object, found {}", describe_kind(root.value())));
  // The version first: a newer layout would otherwise fail on some field with a confusing
  // message.
  const Node version = root.field("schema_version");
  if (!version.value().is_int64() || version.value().get_int64() < 1 ||
      version.value().get_int64() > k_schema_version) {
    const std::string found = version.value().is_number() || version.value().is_string()
                                  ? boost::json::serialize(version.value())
                                  : describe_kind(version.value());
    version.reject(fmt::format(
        "unsupported version {}; this gilguard reads schema_version 1 to {}. Use the gilguard "
        "release that wrote the file, or replace it with 'gilguard baseline update RESULTS "
        "--reset'",
        found, k_schema_version));
  }
  root.allow_only({"schema_version", "key", "workload", "runs"});
  Baseline baseline;
  const int schema_version = static_cast<int>(version.value().get_int64());
  baseline.schema_version = k_schema_version;  // written back in the current layout
  const Node key = root.field("key");
  baseline.key = key.as_string();
  if (auto valid = validate_key(baseline.key); !valid) key.reject(valid.error().message);
  baseline.workload = workload_from(root.field("workload"));
  for (const auto& run : root.field("runs").elements())
    baseline.runs.push_back(entry_from(run, schema_version));
  return baseline;
}

}  // namespace

boost::json::value to_json(const Baseline& baseline) {
  json::object workload;
  workload["name"] = baseline.workload.name;
  workload["range"] = baseline.workload.range;
  json::array threads;
  for (const int t : baseline.workload.threads) threads.emplace_back(t);
  workload["threads"] = std::move(threads);

  json::array runs;
  for (const auto& entry : baseline.runs) runs.emplace_back(entry_to_json(entry));

  json::object out;
  out["schema_version"] = baseline.schema_version;
  out["key"] = baseline.key;
  out["workload"] = std::move(workload);
  out["runs"] = std::move(runs);
  return out;
}

std::string to_json_text(const Baseline& baseline) { return to_pretty_json(to_json(baseline)); }

Expected<Baseline> baseline_from_json(const boost::json::value& json) {
  try {
    return baseline_from(Node(json, ""));
  } catch (const FieldError& e) {
    return fail(e.what());
  }
}

Expected<Baseline> baseline_from_json_text(std::string_view text) {
  auto value = parse_json(text);
  if (!value) return std::unexpected(value.error());
  return baseline_from_json(*value);
}

}  // namespace gilguard::baseline
