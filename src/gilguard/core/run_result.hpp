#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/import_check.hpp"
#include "gilguard/core/interpreter.hpp"
#include "gilguard/core/loss_split.hpp"

namespace gilguard {

// Results files carry this; readers also take version 1 (no machine identity, no reference, no
// interference readings) and reject others. A/B runs (a base pair measured beside the head) are
// written as version 3, which older readers refuse rather than misread.
inline constexpr int k_results_schema_version = 2;
inline constexpr int k_results_schema_version_ab = 3;

// Which interpreter pair a cell runs: the one under test, or (in an A/B run) the base it is
// compared with, measured in the same rounds.
enum class Side { head, base };

// "head", "base".
std::string_view to_string(Side side);

// One measured configuration: a flavour at a thread count, of the head pair (or the base pair).
struct Cell {
  Flavor flavor = Flavor::gil;
  int threads = 1;
  bool gated = true;  // false when threads exceed the usable CPUs: reported, never gated
  Side side = Side::head;

  friend bool operator==(const Cell&, const Cell&) = default;
};

// What happened around one timed region, in seconds, as the child read it: the run-queue delay
// of the region's workers (runnable but not running), the CPU time the child spent outside its
// workers (its own other threads: its cost, not interference), and machine-wide steal (all
// CPUs together), CPU pressure ("some") and cgroup throttling. Unknown readings are nullopt.
struct RegionLoad {
  double wall = 0;
  int workers = 1;
  std::optional<double> wait;
  std::optional<double> other_cpu;
  std::optional<double> steal;
  std::optional<double> pressure;
  std::optional<double> throttled;
  // CPU time the child's whole tree (every thread of its process and every process it started)
  // spent outside the region's workers during the region: the code under test's background
  // work, its own cost. Since issue 20; nullopt in older files.
  std::optional<double> background;
  // Minor page faults of the region's workers during it (since issue 20): a forked worker's
  // copy-on-write faults show here. nullopt in older files.
  std::optional<double> minor_faults;
  // CPU seconds the region's workers spent in it, on their own clocks (since issue 21): what a
  // report claims here must fit in the child's CPU time, which gilguard measures itself.
  // nullopt in older files and where the clocks could not be read.
  std::optional<double> workers_cpu;
  // Context switches of the region's workers during it (getrusage ru_nvcsw, ru_nivcsw; since
  // issue 23): voluntary ones are a worker leaving the CPU to wait (a lock that parks, I/O),
  // involuntary ones the scheduler taking the CPU from it. nullopt in older files.
  std::optional<double> voluntary_switches;
  std::optional<double> involuntary_switches;
  // How many timed regions these readings sum (the threads' and the processes' are two each,
  // A B B A; since issue 23). 0 in older files: the loss split then takes wall / the region's
  // time, rounded.
  int regions = 0;

  friend bool operator==(const RegionLoad&, const RegionLoad&) = default;
};

// A thread or process of the code under test that burned CPU outside the timed workers.
struct Burner {
  std::string kind;  // "thread" or "process"
  std::string name;  // its thread name, or "comm (pid N)"
  double cpu_seconds = 0;

  friend bool operator==(const Burner&, const Burner&) = default;
};

// One child process's measurement of one cell in one round.
struct Sample {
  int round = 0;     // 0 is the warm-up, discarded from summaries
  int position = 0;  // place of this cell in the round's random order
  Cell cell;
  bool seq_first = true;  // whether the sequential run went first in the child
  bool ok = false;        // false: see failure
  double t_seq = 0;       // seconds, time.perf_counter inside the child
  double t_par = 0;
  std::vector<double> thread_times;  // per worker thread, seconds
  std::int64_t count_seq = 0;
  std::int64_t count_par = 0;
  std::optional<bool> gil_enabled;    // sys._is_gil_enabled() at the end of the child
  std::vector<std::string> warnings;  // RuntimeWarnings seen (module re-enabled the GIL, ...)
  std::string failure;                // why the sample is not ok: exit status, signal, stderr tail
  double wall_seconds = 0;            // the whole child process, start to reap
  // The same-machine reference (cells with threads > 1): the same chunks in `threads` forked
  // single-threaded processes of the same interpreter, started together. 0 when not measured.
  double t_ref = 0;
  std::vector<double> ref_times;  // per worker process, seconds
  std::int64_t count_ref = 0;
  int cpus = 0;  // os.cpu_count() in the child; 0 when unknown
  // Readings around the sequential, threaded and reference regions (absent in old files).
  std::optional<RegionLoad> seq_load;
  std::optional<RegionLoad> par_load;
  std::optional<RegionLoad> ref_load;
  // A built-in workload's closed-form result for the range, as the child computed it (nullopt
  // for primes, whose count gilguard computes, and for user files, which have none).
  std::optional<std::int64_t> expected;
  // The range a child asked to size it (range 0) chose; 0 otherwise. Not recorded in results
  // files: RunParameters::range holds the range the run used.
  std::int64_t sized_range = 0;
  // Per worker thread, seconds: what a new thread pays before it runs at full speed, its start
  // (from the first start() to its first instruction) plus its warm-up part's first call minus
  // the second (cold bytecode and caches). Every timed region runs after its workers started
  // and warmed up; this is information, never gated. Empty in files before issue 19.
  std::vector<double> thread_warm_up;
  // How the background CPU was read (set by gilguard, not by the child): "cgroup v1 cpuacct",
  // "cgroup v2", or "process tree" where no cgroup could be made. Empty in older files.
  std::string background_source;
  // What burned CPU in the child besides its main thread, over its whole life, as the child
  // named it (untrusted text): the largest few, most first.
  std::vector<Burner> background_by;
  // User and system CPU seconds of the child process and of the descendants it waited for
  // (threads and forked reference workers included), as gilguard measured it (wait4), not as
  // the child reported it. nullopt in files before issue 21.
  std::optional<double> child_cpu_seconds;
  // How many distinct warnings (category, message, file, line) the child recorded while it ran;
  // `warnings` keeps the first few of them. 0 in files before issue 21.
  int distinct_warnings = 0;

  // t_seq / t_par.
  double speedup() const { return t_par > 0 ? t_seq / t_par : 0; }
  // Threads against processes on the same work: t_ref / t_par, 0 without a reference.
  double relative_speedup() const { return t_par > 0 && t_ref > 0 ? t_ref / t_par : 0; }
};

// Per-cell summary over the measured (non-warm-up, ok) rounds.
struct CellSummary {
  Cell cell;
  int rounds = 0;
  double median_speedup = 0;
  double efficiency = 0;      // median_speedup / threads
  double load_imbalance = 0;  // median over rounds of max/mean per-thread time
  double median_t_seq = 0;
  double median_t_par = 0;
  // Median over rounds of the mean per-thread warm-up cost (Sample::thread_warm_up), seconds;
  // nullopt when no round measured one.
  std::optional<double> thread_warm_up;
  // Cells with the process reference (since issue 23): where the threads' time went against the
  // processes', each part's median over every measured ok round (stats::round_split).
  std::optional<LossSplit> loss_split = std::nullopt;
};

// Which processor: what a CPU-dependent metric (the single-thread overhead) is compared within.
struct CpuIdentity {
  std::string vendor;  // "GenuineIntel", "AuthenticAMD"
  std::string family;
  std::string model;
  std::string stepping;
  std::string model_name;
  std::string microcode;
  std::string caches;  // "L1d 48K, L2 2048K, L3 107520K"

  // "GenuineIntel 6/207/2 Intel(R) Xeon(R) Processor": vendor, family/model/stepping and name;
  // runs compare their CPU-dependent metrics only when these are equal. Empty when unknown.
  std::string key() const;

  friend bool operator==(const CpuIdentity&, const CpuIdentity&) = default;
};

// The machine a run happened on.
struct MachineFacts {
  std::string cpu_model;
  int logical_cpus = 0;
  // What the process can really use: affinity, further limited by the cgroup CPU quota (rounded
  // up). The results of schema 1 had only affinity here.
  int usable_cpus = 0;
  std::string os;      // "linux"
  std::string arch;    // "x86_64"
  std::string kernel;  // uname -r
  std::array<double, 3> load_start{};
  std::array<double, 3> load_end{};
  // Since results schema 2:
  int affinity_cpus = 0;
  int physical_cores = 0;           // distinct (package, core) among the usable CPUs; 0 unknown
  int threads_per_core = 0;         // SMT siblings per core; 0 unknown
  std::optional<double> cpu_quota;  // cgroup CPU limit in CPUs (v1 cfs quota/period, v2 cpu.max)
  std::string machine_id;           // hash of boot_id and machine-id: one machine instance
  CpuIdentity cpu;
  // Steal time over the whole run, seconds of all CPUs together (/proc/stat); nullopt unknown.
  std::optional<double> steal_seconds;

  // Thread counts up to this gate the verdict: the usable physical cores (usable_cpus when the
  // topology is unknown). Counts that land on SMT siblings are information only.
  int usable_cores() const;
};

// What was asked for.
struct RunParameters {
  // WorkloadSpec::label(): "primes", "builtin:objects", "file:w.py:step".
  std::string workload = "primes";
  // A file workload's SHA-256 (hex), so a changed file is told apart from a changed interpreter.
  std::optional<std::string> workload_digest;
  std::int64_t range = 1'000'000;
  // True when the warm-up sized the range (a workload other than primes without --range): the
  // range then differs between machines, and the baseline key says "rauto".
  bool range_sized = false;
  std::vector<int> threads;  // thread counts measured (1 always among them)
  int rounds = 0;            // measured rounds, warm-up excluded
  double time_budget = 0;    // seconds; 0 when --rounds was given
  std::uint64_t seed = 0;
  std::int64_t expected_count = 0;  // primes in [1, range), computed by gilguard; 0 for others
  int repeats = 1;  // sequential/threaded pairs each child alternated (its times are their means)
};

// A failed check: wrong count, crashed child, GIL on in the free-threaded flavour, ...
struct CheckFailure {
  // "wrong-count", "wrong-result", "crash", "timeout", "gil-enabled", "wrong-flavor", ...
  std::string kind;
  std::string message;  // what happened and what to do
};

// Everything `gilguard run` measured: the results JSON, in memory.
struct RunResult {
  int schema_version = k_results_schema_version;
  std::string gilguard_version;
  std::string started_at;  // ISO 8601 UTC
  MachineFacts machine;
  InterpreterFacts gil;
  InterpreterFacts ft;
  RunParameters parameters;
  std::vector<Sample> samples;
  std::vector<CellSummary> summaries;
  // Median over rounds of t_seq(ft) / t_seq(gil) at one thread, paired within each round.
  double ft_overhead = 0;
  std::vector<CheckFailure> failures;
  std::string source_commit;         // GITHUB_SHA or HEAD of the working directory, when known
  std::vector<ImportCheck> imports;  // the --import probes, before any round
  // A/B runs: the base pair, measured in the same rounds (samples with cell.side == base), and
  // what it was built from (a revision, or a free label), for reports: "against base <label>".
  std::optional<InterpreterFacts> base_gil;
  std::optional<InterpreterFacts> base_ft;
  std::string base_label;

  bool is_ab() const { return base_gil.has_value() && base_ft.has_value(); }
};

}  // namespace gilguard
