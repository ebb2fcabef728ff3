#pragma once

#include <string>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/report/sections.hpp"

namespace gilguard::report {

// The report for a terminal: the verdict line, an aligned table, the findings and the update
// command. ANSI colour only when `colour` is true; the caller decides (a TTY and no NO_COLOR).
std::string render_text(const Comparison& comparison, const RunResult* run,
                        const ReportLinks& links, bool colour);

}  // namespace gilguard::report
