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
  if (id.kind == MetricKind::relative) {
    return fmt::format("{} speedup against processes at {} threads", flavor_label(id.flavor),
                       id.threads);
  }
  if (id.kind == MetricKind::time)
    return fmt::format("{} single-thread time", flavor_label(id.flavor));
  if (id.kind == MetricKind::background)
    return fmt::format("{} background CPU of the code under test", flavor_label(id.flavor));
  return fmt::format("{} speedup at {} thread{}", flavor_label(id.flavor), id.threads,
                     id.threads == 1 ? "" : "s");
}

std::string format_ratio(double value) { return fmt::format("{:.2f}x", value); }

std::string format_warm_up(std::optional<double> seconds) {
  return seconds ? fmt::format("{:.2f} ms", *seconds * 1e3) : "-";
}

std::string format_interval(double low, double high) {
  return fmt::format("[{}, {}]", format_ratio(low), format_ratio(high));
}

std::string format_value(const MetricId& id, double value) {
  if (id.kind == MetricKind::background) return fmt::format("{:.3f} CPU", value);
  return id.kind == MetricKind::time ? fmt::format("{:.3f} s", value) : format_ratio(value);
}

std::string format_value_interval(const MetricId& id, double low, double high) {
  return fmt::format("[{}, {}]", format_value(id, low), format_value(id, high));
}

std::string reference_name(const Comparison& comparison) {
  if (!comparison.ab) return "baseline";
  std::string name = comparison.base_label.empty() ? std::string("base")
                                                   : fmt::format("base {}", comparison.base_label);
  if (comparison.head_version != comparison.base_version && !comparison.base_version.empty())
    name += fmt::format(" (Python {}; head {})", comparison.base_version, comparison.head_version);
  return name;
}

std::string format_change(std::optional<double> change) {
  if (!change || !std::isfinite(*change)) return "n/a";
  const double percent = *change * 100;
  // Avoid "-0.0%": a change that rounds to zero is shown without a sign.
  if (std::fabs(percent) < 0.05) return "0.0%";
  return fmt::format("{:+.1f}%", percent);
}

std::string format_change_with_interval(const MetricComparison& metric) {
  std::string out = format_change(metric.change);
  if (metric.change_low && metric.change_high)
    out += fmt::format(" [{}, {}]", format_change(metric.change_low),
                       format_change(metric.change_high));
  return out;
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
  return id.kind == MetricKind::overhead || id.kind == MetricKind::time ||
                 id.kind == MetricKind::background
             ? change > 0
             : change < 0;
}

std::string describe_machine(const MachineFacts& m) {
  std::string out = m.cpu.model_name.empty() ? m.cpu_model : m.cpu.model_name;
  if (out.empty()) out = "unknown CPU";
  if (!m.cpu.vendor.empty()) {
    out += fmt::format(" ({} family {} model {} stepping {}", m.cpu.vendor, m.cpu.family,
                       m.cpu.model, m.cpu.stepping);
    if (!m.cpu.microcode.empty()) out += ", microcode " + m.cpu.microcode;
    if (!m.cpu.caches.empty()) out += "; " + m.cpu.caches;
    out += ")";
  }
  out += fmt::format("; {} usable of {} logical CPUs", m.usable_cpus, m.logical_cpus);
  if (m.physical_cores > 0)
    out += fmt::format(" ({} physical core{} x {} thread{} per core, affinity {}, {})",
                       m.physical_cores, m.physical_cores == 1 ? "" : "s", m.threads_per_core,
                       m.threads_per_core == 1 ? "" : "s", m.affinity_cpus,
                       m.cpu_quota ? fmt::format("cgroup CPU quota {:g}", *m.cpu_quota)
                                   : std::string("no CPU quota"));
  if (!m.machine_id.empty()) out += "; machine " + m.machine_id;
  return out;
}

bool has_failed_checks(const Comparison& comparison) { return !comparison.failed_checks.empty(); }

}  // namespace gilguard::report
