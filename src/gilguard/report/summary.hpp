#pragma once

#include <cstddef>
#include <string>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/report/sections.hpp"

namespace gilguard::report {

// GitHub rejects a step summary above 1 MiB; stay a little under it.
inline constexpr std::size_t k_summary_limit = 1000 * 1000;

// The step summary (GitHub-flavoured Markdown): the verdict first in one sentence, the
// flavour x threads table, a Mermaid xychart of speedup against threads with a plain-table
// fallback, every finding, the environment, how to update the baseline, and the raw details
// folded in <details>. `run` may be null (the environment is then left out). Never longer than
// `max_bytes`.
std::string render_summary(const Comparison& comparison, const RunResult* run,
                           const ReportLinks& links, std::size_t max_bytes = k_summary_limit);

// The chart alone: a ```mermaid xychart-beta block (ideal, this run and baseline per flavour),
// a caption naming the lines, and the same numbers as a table in <details>. Empty when there
// are no speedups.
std::string render_speedup_chart(const Comparison& comparison);

}  // namespace gilguard::report
