#pragma once

// Comparisons and runs built in code for the report tests: realistic numbers from a 4-CPU
// runner (threads 1, 2, 4 gated; 8 reported as information).

#include <optional>
#include <string>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"
#include "support/test_util.hpp"

namespace gilguard::test {

// One metric; `baseline` nullopt means no baseline for it.
inline MetricComparison make_metric(MetricId id, Verdict verdict, double value, double low,
                                    double high, std::optional<double> baseline, bool gating = true,
                                    std::string explanation = {}) {
  MetricComparison m;
  m.id = id;
  m.gating = gating;
  m.verdict = verdict;
  m.current = {value, low, high, 20, std::nullopt};
  if (baseline) {
    m.baseline = *baseline;
    m.baseline_low = *baseline * 0.97;
    m.baseline_high = *baseline * 1.03;
    m.change = value / *baseline - 1;
    m.baseline_runs = 3;
  }
  m.explanation = std::move(explanation);
  return m;
}

inline MetricId ft_speedup(int threads) { return {MetricKind::speedup, Flavor::ft, threads}; }
inline MetricId gil_speedup(int threads) { return {MetricKind::speedup, Flavor::gil, threads}; }
inline MetricId ft_overhead() { return {MetricKind::overhead, Flavor::ft, 1}; }

// The free-threaded speedup at 4 threads fell from 3.62x to 3.18x: a regression.
inline Comparison regression_comparison() {
  Comparison c;
  c.overall = Verdict::regression;
  c.baseline_key = "linux-x86_64-cpu4-py3.13-primes-1000000";
  c.baseline_path = "baselines/linux-x86_64-cpu4-py3.13-primes-1000000.json";
  c.threshold = 0.05;
  c.metrics = {
      make_metric(ft_speedup(1), Verdict::pass, 1.00, 0.99, 1.01, 1.00),
      make_metric(ft_speedup(2), Verdict::pass, 1.93, 1.90, 1.96, 1.95),
      make_metric(ft_speedup(4), Verdict::regression, 3.18, 3.12, 3.24, 3.62, true,
                  "The free-threaded speedup at 4 threads is 3.18x (99% interval 3.12x-3.24x, "
                  "20 rounds) against the baseline 3.62x (-12.2%): wholly below the 5% regression "
                  "line 3.44x and outside the baseline's 99% run-to-run range 3.51x-3.73x (3 "
                  "runs)."),
      make_metric(ft_speedup(8), Verdict::regression, 3.05, 2.90, 3.20, 3.60, false),
      make_metric(gil_speedup(1), Verdict::pass, 1.00, 0.99, 1.01, 1.00, false),
      make_metric(gil_speedup(2), Verdict::pass, 0.99, 0.98, 1.00, 1.00, false),
      make_metric(gil_speedup(4), Verdict::pass, 0.98, 0.97, 0.99, 0.99, false),
      make_metric(gil_speedup(8), Verdict::pass, 0.97, 0.95, 0.99, 0.98, false),
      make_metric(ft_overhead(), Verdict::pass, 1.12, 1.10, 1.14, 1.11),
  };
  return c;
}

// All within the threshold.
inline Comparison pass_comparison() {
  Comparison c = regression_comparison();
  c.overall = Verdict::pass;
  c.metrics[2] = make_metric(ft_speedup(4), Verdict::pass, 3.58, 3.51, 3.66, 3.62);
  c.metrics[3] = make_metric(ft_speedup(8), Verdict::pass, 3.57, 3.40, 3.70, 3.60, false);
  return c;
}

// The first run on a new runner class: nothing to compare with.
inline Comparison no_baseline_comparison() {
  Comparison c;
  c.overall = Verdict::no_baseline;
  c.baseline_key = "linux-x86_64-cpu4-py3.13-primes-1000000";
  c.baseline_path = "baselines/linux-x86_64-cpu4-py3.13-primes-1000000.json";
  c.metrics = {
      make_metric(ft_speedup(1), Verdict::no_baseline, 1.00, 0.99, 1.01, std::nullopt),
      make_metric(ft_speedup(2), Verdict::no_baseline, 1.94, 1.91, 1.97, std::nullopt),
      make_metric(ft_speedup(4), Verdict::no_baseline, 3.56, 3.49, 3.63, std::nullopt),
      make_metric(gil_speedup(1), Verdict::no_baseline, 1.00, 0.99, 1.01, std::nullopt, false),
      make_metric(gil_speedup(2), Verdict::no_baseline, 1.00, 0.99, 1.01, std::nullopt, false),
      make_metric(gil_speedup(4), Verdict::no_baseline, 1.00, 0.98, 1.02, std::nullopt, false),
      make_metric(ft_overhead(), Verdict::no_baseline, 1.11, 1.09, 1.13, std::nullopt),
  };
  return c;
}

// The free-threaded build ran with the GIL on, and one child crashed.
inline Comparison failed_check_comparison() {
  Comparison c = pass_comparison();
  c.overall = Verdict::regression;
  c.failed_checks = {
      "The free-threaded interpreter ran with the GIL enabled: module 'legacy_ext' re-enabled it "
      "at import. Rebuild the extension with Py_mod_gil or run with PYTHON_GIL=0.",
      "ft at 4 threads, round 3: killed by signal 11 (SIGSEGV); stderr tail:\n"
      "Fatal Python error: Segmentation fault\n"
      "Current thread 0x00007f0a (most recent call first):\n"
      "  File \"<gilguard-workload>\", line 12 in count_range",
  };
  return c;
}

// The run behind the comparisons.
inline RunResult sample_run() {
  RunResult r;
  r.gilguard_version = "0.1.0";
  r.started_at = "2025-06-01T12:00:00Z";
  r.machine = test::linux_machine("AMD EPYC 7763 64-Core Processor", 4, 4, "6.8.0-1021-azure",
                                  {0.52, 0.31, 0.12}, {3.10, 1.20, 0.45});
  r.gil.path = "/opt/hostedtoolcache/Python/3.13.5/x64/bin/python3.13";
  r.gil.executable = r.gil.path;
  r.gil.version = "3.13.5";
  r.gil.config_args = "'--enable-shared' '--prefix=/opt/hostedtoolcache/Python/3.13.5/x64'";
  r.ft.path = "/opt/hostedtoolcache/Python/3.13.5/x64-freethreaded/bin/python3.13t";
  r.ft.executable = r.ft.path;
  r.ft.version = "3.13.5";
  r.ft.gil_disabled_build = true;
  r.ft.config_args = "'--disable-gil' '--enable-shared'";
  r.parameters.range = 1'000'000;
  r.parameters.threads = {1, 2, 4, 8};
  r.parameters.rounds = 20;
  r.parameters.seed = 42;
  r.parameters.expected_count = 78498;
  for (const auto flavor : {Flavor::ft, Flavor::gil}) {
    for (const int t : {1, 2, 4, 8}) {
      CellSummary s;
      s.cell = {flavor, t, t <= 4};
      s.rounds = 20;
      const double ft_speedups[] = {1.00, 1.93, 3.18, 3.05};
      const int index = t == 1 ? 0 : (t == 2 ? 1 : (t == 4 ? 2 : 3));
      s.median_speedup = flavor == Flavor::gil ? 1.0 - 0.01 * index : ft_speedups[index];
      s.efficiency = s.median_speedup / t;
      s.load_imbalance = 1.02;
      // A free-threaded thread's warm-up (measured on 3.14t); none recorded for the GIL build.
      if (flavor == Flavor::ft) s.thread_warm_up = 0.0004 * t;
      s.median_t_seq = flavor == Flavor::gil ? 1.10 : 1.23;
      s.median_t_par = s.median_t_seq / s.median_speedup;
      r.summaries.push_back(s);
    }
  }
  r.ft_overhead = 1.12;
  r.source_commit = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
  return r;
}

}  // namespace gilguard::test
