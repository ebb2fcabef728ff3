#include "gilguard/core/comparison.hpp"

#include <fmt/format.h>

#include <charconv>

namespace gilguard {

std::string metric_name(const MetricId& id) {
  if (id.kind == MetricKind::overhead) return fmt::format("{}-overhead", to_string(id.flavor));
  if (id.kind == MetricKind::time) return fmt::format("{}-time", to_string(id.flavor));
  if (id.kind == MetricKind::background) return fmt::format("{}-background", to_string(id.flavor));
  const char* kind = id.kind == MetricKind::relative ? "relative" : "speedup";
  return fmt::format("{}-{}-{}", to_string(id.flavor), kind, id.threads);
}

std::optional<MetricId> parse_metric_name(const std::string& name) {
  const auto dash = name.find('-');
  if (dash == std::string::npos) return std::nullopt;
  const auto flavor = parse_flavor(std::string_view(name).substr(0, dash));
  if (!flavor) return std::nullopt;
  const std::string rest = name.substr(dash + 1);
  if (rest == "overhead") return MetricId{MetricKind::overhead, *flavor, 1};
  if (rest == "time") return MetricId{MetricKind::time, *flavor, 1};
  if (rest == "background") return MetricId{MetricKind::background, *flavor, 1};
  MetricKind kind = MetricKind::speedup;
  std::string prefix = "speedup-";
  if (rest.starts_with("relative-")) {
    kind = MetricKind::relative;
    prefix = "relative-";
  }
  if (!rest.starts_with(prefix)) return std::nullopt;
  int threads = 0;
  const char* first = rest.data() + prefix.size();
  const char* last = rest.data() + rest.size();
  const auto [ptr, ec] = std::from_chars(first, last, threads);
  if (ec != std::errc() || ptr != last || threads < 1) return std::nullopt;
  if (kind == MetricKind::relative && threads < 2) return std::nullopt;
  return MetricId{kind, *flavor, threads};
}

std::optional<Estimate> BaselineRun::find(const MetricId& id) const {
  for (const auto& [metric, estimate] : metrics) {
    if (metric == id) return estimate;
  }
  return std::nullopt;
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return "pass";
    case Verdict::regression:
      return "regression";
    case Verdict::improvement:
      return "improvement";
    case Verdict::inconclusive:
      return "inconclusive";
    case Verdict::no_baseline:
      return "no-baseline";
  }
  return "inconclusive";
}

std::optional<Verdict> parse_verdict(std::string_view text) {
  for (const auto v : {Verdict::pass, Verdict::regression, Verdict::improvement,
                       Verdict::inconclusive, Verdict::no_baseline}) {
    if (to_string(v) == text) return v;
  }
  return std::nullopt;
}

}  // namespace gilguard
