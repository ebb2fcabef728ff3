#include "gilguard/baseline/show.hpp"

#include <gtest/gtest.h>

#include "unit/baseline/baseline_samples.hpp"

namespace gilguard::baseline {
namespace {

TEST(BaselineShow, ListsEveryRunWithItsNumbers) {
  Baseline first = testdata::sample_baseline(2);
  first.runs[1].summary.provenance.commit = "0123456789abcdef";
  first.runs[1].summary.metrics.emplace_back(MetricId{MetricKind::speedup, Flavor::ft, 4},
                                             Estimate{3.456, 3.3, 3.6, 3, {}});
  first.runs[1].summary.metrics.emplace_back(MetricId{MetricKind::relative, Flavor::ft, 2},
                                             Estimate{0.97, 0.96, 0.98, 3, {}});
  first.runs[1].summary.provenance.machine_id = "bf191837c8ec59b5";
  first.runs[1].summary.provenance.cpu_key = "GenuineIntel 6/207/2";
  Baseline second = testdata::sample_baseline(1);
  second.key = "runner-label";
  second.runs[0].summary.provenance.date.clear();
  EXPECT_EQ(
      format_baselines({first, second}, "baselines"),
      "linux-x86_64-cpu2-py3.13-primes-r1000000  "
      "(baselines/linux-x86_64-cpu2-py3.13-primes-r1000000.json)\n"
      "  workload primes, range 1000000, threads 1 2; 2 runs, oldest first\n"
      "  from 2 machines and 2 CPU identities (machine and CPU per run below)\n"
      "  date                  commit        gilguard  machine           cpu                   "
      "ft x2 vs proc  ft x2  ft x4  gil x2  ft overhead\n"
      "  2026-11-24T20:14:07Z  c0ffee0       0.1.0     unknown           unknown               "
      "-              1.80x  -      0.99x   1.25x\n"
      "  2026-11-24T20:14:07Z  0123456789ab  0.1.0     bf191837c8ec59b5  GenuineIntel 6/207/2  "
      "0.97x          1.81x  3.46x  0.99x   1.25x\n"
      "\n"
      "runner-label  (baselines/runner-label.json)\n"
      "  workload primes, range 1000000, threads 1 2; 1 run, oldest first\n"
      "  from 1 machine and 1 CPU identity (machine and CPU per run below)\n"
      "  date  commit   gilguard  machine  cpu      ft x2  gil x2  ft overhead\n"
      "  -     c0ffee0  0.1.0     unknown  unknown  1.80x  0.99x   1.25x\n");
}

TEST(BaselineShow, NoBaselinesSaysHowToRecordOne) {
  EXPECT_EQ(format_baselines({}, "base"),
            "No baselines in base. Record one with 'gilguard baseline update RESULTS "
            "--baselines base'.\n");
}

}  // namespace
}  // namespace gilguard::baseline
