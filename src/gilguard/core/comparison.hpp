#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gilguard/core/interpreter.hpp"
#include "gilguard/core/loss_split.hpp"

namespace gilguard {

// What a metric measures.
enum class MetricKind {
  speedup,   // S_f(T) = t_seq / t_par, per flavour and thread count
  overhead,  // O = t_seq(ft) / t_seq(gil), paired within a round
  // R_f(T) = t_ref / t_par: the same split timed in T threads and in T single-threaded
  // processes of the same interpreter, in the same child. The processes share the machine
  // (cores, SMT, clock, neighbours) but not the interpreter's threading, so the ratio keeps what
  // threading costs and drops what the machine's parallel capacity does.
  relative,
  // An A/B run's single-thread time t_seq of a flavour, head against base in the same round.
  time,
  // B_f: CPU the child's whole tree spent outside the timed workers, per second of timed region
  // (a count of CPUs, the same on every machine), judged against a fixed limit, not a baseline.
  background,
};

// Names one compared quantity. Overhead uses flavor ft and threads 1.
struct MetricId {
  MetricKind kind = MetricKind::speedup;
  Flavor flavor = Flavor::ft;
  int threads = 1;

  friend bool operator==(const MetricId&, const MetricId&) = default;
  friend auto operator<=>(const MetricId&, const MetricId&) = default;
};

// "ft-speedup-4", "gil-speedup-2", "ft-relative-2", "ft-overhead", "gil-time",
// "ft-background": the stable name in JSON files.
std::string metric_name(const MetricId& id);

// Inverse of metric_name; nullopt for anything else.
std::optional<MetricId> parse_metric_name(const std::string& name);

// One run's estimate of a metric, on the ratio scale (e.g. speedup 1.87x), with its interval.
struct Estimate {
  double value = 0;  // point estimate (Hodges-Lehmann, back-transformed from log scale)
  double low = 0;    // confidence interval bounds, same scale
  double high = 0;
  int rounds = 0;  // measured rounds it rests on
  // Speedups against processes (since issue 23): where the threads' time went, the median of
  // each part over the rounds the estimate rests on. nullopt for other metrics and older runs.
  std::optional<LossSplit> split = std::nullopt;
};

// The per-round values behind an estimate, kept so a later comparison can re-test them.
struct MetricSamples {
  MetricId id;
  std::vector<double> values;  // one per measured round, ratio scale
};

// Where a baseline entry came from.
struct Provenance {
  std::string commit;  // source commit of the measured code
  std::string date;    // ISO 8601 UTC
  std::string gilguard_version;
  std::string gil_version;  // interpreter versions and configure args
  std::string ft_version;
  std::string gil_config_args;
  std::string ft_config_args;
  std::string cpu_model;
  // Since baseline schema 2: the machine instance and the CPU identity (CpuIdentity::key) the
  // run was measured on; empty for older runs (one unknown machine, an unknown CPU).
  std::string machine_id;
  std::string cpu_key;
  // A file workload's SHA-256 (hex) when the run measured one; empty otherwise.
  std::string workload_digest;
};

// One run's summary as kept in a baseline: provenance plus one estimate per metric.
struct BaselineRun {
  Provenance provenance;
  std::vector<std::pair<MetricId, Estimate>> metrics;

  // The estimate for id, if this run has it.
  std::optional<Estimate> find(const MetricId& id) const;
};

// A gated metric of a baseline whose newest runs sit past the threshold, on the bad side, from
// its oldest kept ones (stats::baseline_drift): drops that each passed have added up.
struct BaselineDrift {
  MetricId id;
  double oldest = 0;  // geometric mean of the oldest `runs` runs' estimates
  double newest = 0;  // geometric mean of the newest `runs` runs' estimates
  int runs = 0;       // runs in each group
  double threshold = 0;
};

// Verdict values, DESIGN.md "Statistics and the verdict".
enum class Verdict { pass, regression, improvement, inconclusive, no_baseline };

// "pass", "regression", "improvement", "inconclusive", "no-baseline".
std::string_view to_string(Verdict verdict);
std::optional<Verdict> parse_verdict(std::string_view text);

// A function's share of the sampled CPU time of the threaded workers and of the process workers
// (issue 23, "in which function"): a C symbol, or a Python function ("py::name:file") from
// CPython's perf map.
struct FunctionShare {
  std::string name;
  double threads = 0;    // fraction of the threads' samples in it
  double processes = 0;  // fraction of the processes' samples in it
};

// The comparison of one metric against its baseline history.
struct MetricComparison {
  MetricId id;
  bool gating = true;  // false: information only (GIL speedup, ungated thread counts)
  Verdict verdict = Verdict::no_baseline;
  Estimate current;                    // this run
  std::optional<double> baseline;      // centre of the baseline history
  std::optional<double> baseline_low;  // run-to-run prediction bounds
  std::optional<double> baseline_high;
  std::optional<double> change;  // current.value / baseline - 1
  int baseline_runs = 0;
  int baseline_machines = 0;  // distinct machines among those runs (runs of unknown machine: 1)
  std::string explanation;    // one sentence: why this verdict
  // A/B: the interval of `change`, from the head/base ratios paired within rounds (the baseline
  // fields then hold the base's own estimate, and baseline_runs 1).
  std::optional<double> change_low;
  std::optional<double> change_high;
  // Speedups against processes: the baseline's split (LossSplit), the median of each part over
  // its runs that recorded one; nullopt when none did (baselines before issue 23).
  std::optional<LossSplit> baseline_split = std::nullopt;
  // A regressed speedup against processes: what a second, short pass under `perf` found (the
  // functions whose share grew most in the threads against the processes), and what it said
  // ("perf sampled ...", or why it could not run). Empty when no such pass ran.
  std::vector<FunctionShare> functions;
  std::string sampling;
};

// How much interference the run saw (stats::interference_summary): samples whose timed regions
// lost more than the limit of their workers' time to something outside the child are set aside.
struct InterferenceSummary {
  int samples = 0;       // measured ok samples with readings
  int set_aside = 0;     // of those, disturbed ones left out of every metric
  double worst = 0;      // largest fraction of worker time lost in one region
  double median = 0;     // median over samples of the largest fraction lost
  std::string dominant;  // what took the most: "other processes" or "steal"
  double throttled = 0;  // largest share of a region's time the cgroup CPU quota throttled
};

// The whole comparison: per-metric verdicts and the overall one.
struct Comparison {
  Verdict overall = Verdict::no_baseline;
  std::string baseline_key;
  std::string baseline_path;
  double threshold = 0.05;
  std::vector<MetricComparison> metrics;
  std::vector<std::string> failed_checks;           // from the run: wrong count, crash, GIL enabled
  std::optional<InterferenceSummary> interference;  // absent for runs without readings
  // A/B: compared against a base pair measured in the same rounds, not a stored baseline. Its
  // label (a revision) names it in reports: "against base <label>".
  bool ab = false;
  std::string base_label;
  // A/B: the free-threaded interpreters' versions ("3.14.7", "3.13.5"), so a report can say
  // when head and base are different releases (a user upgrading asks exactly that).
  std::string head_version;
  std::string base_version;
  // Set when the run's workload file differs from the one the newest baseline run measured
  // (workload::changed_file_note): the reports say so beside the verdicts.
  std::optional<std::string> workload_note;
  // The run's workload label (RunParameters::workload: "primes", "file:bench.py:bench_parse"),
  // so that every report names the benchmark; empty in comparisons written before it was.
  std::string workload;
};

}  // namespace gilguard
