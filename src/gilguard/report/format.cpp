#include "gilguard/report/format.hpp"

#include <fmt/format.h>

#include <cmath>

namespace gilguard::report {

std::string_view flavor_label(Flavor flavor) {
  return flavor == Flavor::ft ? "free-threaded" : "GIL";
}

std::string metric_label(const MetricId& id) {
  if (id.kind == MetricKind::overhead) {
    return fmt::format("{} single-thread overhead", flavor_label(id.flavor));
  }
  return fmt::format("{} speedup at {} thread{}", flavor_label(id.flavor), id.threads,
                     id.threads == 1 ? "" : "s");
}

std::string format_ratio(double value) { return fmt::format("{:.2f}x", value); }

std::string format_interval(double low, double high) {
  return fmt::format("[{}, {}]", format_ratio(low), format_ratio(high));
}

std::string format_change(std::optional<double> change) {
  if (!change || !std::isfinite(*change)) return "n/a";
  const double percent = *change * 100;
  // Avoid "-0.0%": a change that rounds to zero is shown without a sign.
  if (std::fabs(percent) < 0.05) return "0.0%";
  return fmt::format("{:+.1f}%", percent);
}

std::string format_percent(double fraction) {
  const double percent = fraction * 100;
  if (std::fabs(percent - std::round(percent)) < 1e-9) return fmt::format("{:.0f}%", percent);
  return fmt::format("{:.1f}%", percent);
}

std::string_view verdict_label(Verdict verdict) {
  // The JSON names (core to_string), but "no baseline" reads better than "no-baseline".
  return verdict == Verdict::no_baseline ? "no baseline" : to_string(verdict);
}

std::string_view verdict_icon(Verdict verdict) {
  switch (verdict) {
    case Verdict::pass:
      return "✅";
    case Verdict::regression:
      return "❌";
    case Verdict::improvement:
      return "🚀";
    case Verdict::inconclusive:
      return "⚠️";
    case Verdict::no_baseline:
      return "🆕";
  }
  return "⚠️";
}

bool is_worse(const MetricId& id, double change) {
  return id.kind == MetricKind::overhead ? change > 0 : change < 0;
}

bool has_failed_checks(const Comparison& comparison) { return !comparison.failed_checks.empty(); }

}  // namespace gilguard::report
