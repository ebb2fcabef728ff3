#include "gilguard/report/drift.hpp"

#include <gtest/gtest.h>

namespace gilguard::report {
namespace {

TEST(DriftMessage, NamesTheMetricTheTwoMeansAndTheChange) {
  const BaselineDrift drift{{MetricKind::relative, Flavor::ft, 2}, 0.98, 0.92, 3, 0.05};
  EXPECT_EQ(drift_message(drift),
            "The baseline has drifted: the free-threaded speedup against processes at 2 threads "
            "fell 6.1% from 0.98x (mean of the oldest 3 runs kept) to 0.92x (mean of the newest "
            "3), past the 5% threshold, though each run passed against the runs before it. Look "
            "for the change that moved it among the runs' commits, or, if the move is meant, "
            "record a fresh baseline with --reset.");
}

TEST(DriftMessage, AnOverheadRises) {
  const BaselineDrift drift{{MetricKind::overhead, Flavor::ft, 1}, 1.10, 1.18, 3, 0.05};
  const Finding finding = drift_finding(drift);
  EXPECT_EQ(finding.severity, Severity::warning);
  EXPECT_EQ(finding.title, "Baseline drifted");
  EXPECT_NE(finding.message.find("free-threaded single-thread overhead rose 7.3% from 1.10x"),
            std::string::npos)
      << finding.message;
}

}  // namespace
}  // namespace gilguard::report
