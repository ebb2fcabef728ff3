#include "gilguard/report/drift.hpp"

#include <fmt/format.h>

#include <cmath>

#include "gilguard/report/format.hpp"

namespace gilguard::report {

std::string drift_message(const BaselineDrift& drift) {
  const double change = drift.oldest > 0 ? drift.newest / drift.oldest - 1 : 0;
  return fmt::format(
      "The baseline has drifted: the {} {} {:.1f}% from {} (mean of the oldest {} runs kept) to {} "
      "(mean of the newest {}), past the {:g}% threshold, though each run passed against the "
      "runs before it. Look for the change that moved it among the runs' commits, or, if the "
      "move is meant, record a fresh baseline with --reset.",
      metric_label(drift.id), change < 0 ? "fell" : "rose", std::fabs(change) * 100,
      format_value(drift.id, drift.oldest), drift.runs, format_value(drift.id, drift.newest),
      drift.runs, drift.threshold * 100);
}

Finding drift_finding(const BaselineDrift& drift) {
  Finding out;
  out.severity = Severity::warning;
  out.rank = 0;
  out.weight = drift.oldest > 0 ? std::fabs(drift.newest / drift.oldest - 1) : 0;
  out.title = "Baseline drifted";
  out.message = drift_message(drift);
  return out;
}

}  // namespace gilguard::report
