#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "gilguard/core/run_result.hpp"
#include "gilguard/measure/executor.hpp"
#include "gilguard/measure/limits.hpp"
#include "gilguard/measure/scheduler.hpp"
#include "gilguard/python/imports.hpp"
#include "gilguard/workload/primes.hpp"
#include "gilguard/workload/spec.hpp"

namespace gilguard::measure {

// Measured rounds when neither --rounds nor --time-budget is given: with the warm-up, about
// 105 s at the default range on a 2-CPU machine (4 cells of ~4 s each per round), so that
// `gilguard check` reaches a verdict within two minutes there.
inline constexpr int k_default_rounds = 6;

// What `gilguard run` (or `gilguard check`) asks for.
struct RunRequest {
  std::filesystem::path gil_python;
  std::filesystem::path ft_python;
  std::vector<int> threads;  // empty: auto_thread_counts(usable CPUs)
  // 0 (workloads other than primes only): the first warm-up child sizes it, and every child
  // after runs the range it reported.
  std::int64_t range = workload::k_default_range;
  workload::WorkloadSpec workload;             // primes unless --workload says otherwise
  std::optional<std::string> workload_digest;  // a file workload's SHA-256
  int rounds = 0;          // measured rounds; 0 with time_budget == 0 means k_default_rounds
  double time_budget = 0;  // seconds for the whole run, when rounds == 0
  std::optional<std::uint64_t> seed;                       // random when unset; always recorded
  std::optional<std::chrono::milliseconds> child_timeout;  // override of the warm-up timeout
  std::string source_commit;  // the commit being measured, recorded in the results (may be empty)
  // A/B: the base pair measured beside the head in the same rounds (both or neither), and what
  // the reports call it ("against base <label>").
  std::filesystem::path base_gil_python;
  std::filesystem::path base_ft_python;
  std::string base_label;
  // Each child alternates its sequential and threaded regions this many times (A/B runs; the
  // process reference is then not measured).
  int repeats = 1;
  // Modules (--import) probed one per fresh free-threaded process before any round, then
  // imported by every free-threaded child before it times anything.
  std::vector<std::string> imports;
  // How long one module's probe may run, and all of them together (tests shorten them).
  std::chrono::milliseconds import_timeout = python::k_import_timeout;
  std::chrono::milliseconds imports_time_limit = python::k_imports_time_limit;

  bool is_ab() const { return !base_gil_python.empty() && !base_ft_python.empty(); }
};

// The base pair of an A/B run, probed.
struct BaseFacts {
  InterpreterFacts gil;
  InterpreterFacts ft;
  std::string label;
};

// The request's base pair probed (throws a usage Failure naming --base-gil or --base-ft when one
// fails); nullopt when the request is not an A/B run.
std::optional<BaseFacts> probe_base(const RunRequest& request);

// Callbacks from the run; all optional.
struct RunHooks {
  std::function<void(const RoundProgress&)> progress;
  DecidedFn decided;  // the stopping rule; may only end the run early
  int min_rounds_before_decided = 5;
  std::function<double()> clock;  // seconds on a monotonic clock (tests)
  // Imports one --import module in a fresh free-threaded process, killed after `timeout`
  // (prepare_imports sets it to python::probe_import); required when the request has imports.
  std::function<ImportCheck(const std::string& module, std::chrono::milliseconds timeout)>
      probe_import;
  std::function<void(const ImportCheck&)> imported;  // after each probe
};

// 1, the powers of two up to usable_cpus, and usable_cpus itself; sorted, without repeats.
std::vector<int> auto_thread_counts(int usable_cpus);

// Both flavours at each thread count (sorted, deduplicated); counts above usable_cpus are
// marked gated = false.
std::vector<Cell> plan_cells(const std::vector<int>& threads, int usable_cpus);

// The cells of an A/B run: both flavours of head and base at each thread count above 1 (every
// metric compared, the single-thread times included, comes from those children: each times its
// sequential region too); at 1 only when 1 is the only count.
std::vector<Cell> plan_ab_cells(const std::vector<int>& threads, int usable_cpus);

// The warm-up child timeout: max(60 s, 20 x a pessimistic estimate of one child at `range`),
// the estimate being 10 s at 10^6 scaled by (range / 10^6)^1.5 (trial division work).
std::chrono::milliseconds default_child_timeout(std::int64_t range);

// The warm-up child timeout of a workload other than primes at an explicit --range (the cost of
// the user's function is unknown); a sized range (0) gets default_child_timeout(0), 60 s: the
// sizing aims at 0.25 s a region, and a function too slow for that at the smallest range is
// told to pass --range.
inline constexpr std::chrono::milliseconds k_workload_child_timeout{600'000};

// The facts of this machine now (load average at start; the end is filled in later).
MachineFacts current_machine();

// Runs the benchmark on interpreters already probed (`gil`, `ft`) through `executor`, checks
// every result and returns everything measured. Failed checks are in RunResult::failures; this
// throws only for an invalid request. When the probe facts show swapped or wrong flavours, or an
// --import module fails its probe, no rounds are run and the failure says what to fix. The
// probes stop when request.imports_time_limit is spent, and the modules left are named in an
// "import-time-limit" failure.
// With `base` (an A/B run) the base pair's cells run in the same rounds, next to the head's
// (paired_order), without the process reference (the base is the reference).
RunResult run_benchmark(const RunRequest& request, const InterpreterFacts& gil,
                        const InterpreterFacts& ft, Executor& executor, const RunHooks& hooks,
                        const std::optional<BaseFacts>& base = std::nullopt);

// What the import probes of some modules showed: each probe, and the failed checks
// (check_imports, and "import-time-limit" naming the modules left when the time ran out).
struct ImportProbes {
  std::vector<ImportCheck> imports;
  std::vector<CheckFailure> failures;
};

// Probes `modules` one after another through hooks.probe_import (required), each for at most
// `per_module` and all of them within `time_limit` (on hooks.clock); hooks.imported hears of
// each. `ft_python` names the interpreter in the failures. What `run` and `check` do before the
// rounds, and all that `gilguard imports` does.
ImportProbes probe_imports(const std::vector<std::string>& modules, const std::string& ft_python,
                           const RunHooks& hooks, std::chrono::milliseconds per_module,
                           std::chrono::milliseconds time_limit);

// Makes the free-threaded children of `executor` import request.imports, and `hooks` probe each
// of them first in a fresh process of request.ft_python with the children's environment.
void prepare_imports(const RunRequest& request, ProcessExecutor& executor, RunHooks& hooks);

// Records the request's workload and range in `parameters`: with the machine and the
// interpreters, what the baseline key is made of (`check` derives the key before the run).
void record_workload(const RunRequest& request, RunParameters& parameters);

// Runs the benchmark on interpreters already probed in real child processes with the allow-listed
// part of `environment`: the workload set, the --import modules probed and imported
// (prepare_imports), the base pair beside the head in an A/B run.
RunResult run_in_processes(const RunRequest& request, const InterpreterFacts& gil,
                           const InterpreterFacts& ft, const std::optional<BaseFacts>& base,
                           const util::Environment& environment, RunHooks hooks);

// Probes the interpreters (throws a usage Failure naming the one that fails) and runs the
// benchmark in real child processes with the allow-listed environment; an A/B run when the
// request names a base pair.
RunResult run_benchmark(const RunRequest& request, const RunHooks& hooks);

}  // namespace gilguard::measure
