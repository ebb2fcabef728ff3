#pragma once

#include <string>

#include "gilguard/core/comparison.hpp"
#include "gilguard/report/findings.hpp"

// The words for a baseline that has drifted (stats::baseline_drift decides).
namespace gilguard::report {

// "The baseline has drifted: the free-threaded speedup against processes at 2 threads fell 6.1%
// from 0.98x (mean of the oldest 3 runs kept) to 0.92x (mean of the newest 3), past the 5%
// threshold; ..." One sentence and what to do.
std::string drift_message(const BaselineDrift& drift);

// The same as a warning finding (an annotation in GitHub Actions).
Finding drift_finding(const BaselineDrift& drift);

}  // namespace gilguard::report
