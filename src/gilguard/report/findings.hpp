#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"

namespace gilguard::report {

// How loud a finding is; maps onto the workflow commands ::error, ::warning and ::notice.
enum class Severity { error, warning, notice };

// "error", "warning", "notice": the workflow command name.
std::string_view to_string(Severity severity);

// One thing the report tells the reader, ranked within its severity.
struct Finding {
  Severity severity = Severity::notice;
  int rank = 0;         // lower is more important within a severity
  double weight = 0;    // tie-break inside a rank: larger is more important (size of a change)
  std::string title;    // short, our own words
  std::string message;  // one or more sentences; may quote run output

  friend bool operator==(const Finding&, const Finding&) = default;
};

// Relative interval width (high - low) / value above which a gated metric is called noisy.
inline constexpr double k_wide_interval = 0.25;

// Everything worth an annotation, most important first within each severity: failed checks and
// gated regressions (errors); too few CPUs, inconclusive metrics, wide intervals, a busy machine,
// RuntimeWarnings (warnings); a missing baseline, improvements, information-only changes
// (notices). `run` may be null when only the comparison is known.
std::vector<Finding> collect_findings(const Comparison& comparison, const RunResult* run);

// Sorts findings by severity, then rank, then weight (stable for equal keys).
void rank_findings(std::vector<Finding>& findings);

}  // namespace gilguard::report
