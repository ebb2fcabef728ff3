#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/import_check.hpp"
#include "gilguard/core/interpreter.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/workload/workload.hpp"

namespace gilguard::measure {

// Turns every ok sample whose results disagree into a failed one: sequential against threaded,
// against the process reference when measured, and against what they must be when that is known
// (the workload's expected_result at `range`, else the sample's own `expected`). The failure
// text is the workload's (wrong_result); checks reads its kind ("wrong-count", "wrong-result").
void mark_wrong_results(std::vector<Sample>& samples, const workload::Workload& workload,
                        std::int64_t range);

// Failure texts of samples whose workload returned a result that cannot be compared (an object
// whose repr holds its memory address) start with this (kind "object-result").
inline constexpr std::string_view k_object_result_prefix = "object result";

// Failure texts of samples whose report cannot be true of the child gilguard ran start with
// this (kind "inconsistent-report"): code in the child wrote or changed it.
inline constexpr std::string_view k_inconsistent_prefix = "inconsistent report";

// How far a report's times may exceed what gilguard measured of its child before they count as
// impossible. The timed regions lie inside the child's life and are read on the same clock
// (CLOCK_MONOTONIC: perf_counter in the child, steady_clock in gilguard), so an honest report
// misses only by the rounding of its sums and means: 2 ms is far above that and below any region
// worth timing, so a forged time can gain no more.
inline constexpr double k_report_wall_slack = 0.002;
// The workers' CPU clocks (a thread's CLOCK_THREAD_CPUTIME_ID, a forked worker's process clock)
// count parts of the CPU time wait4 gives for the child (all its threads and the descendants it
// waited for, the forked workers among them), which the kernel reports in microseconds: 10 ms
// covers that rounding summed over the regions many times over.
inline constexpr double k_report_cpu_slack = 0.01;

// What in an ok sample's report cannot be true of the child as gilguard measured it
// (wall_seconds from start to exit, child_cpu_seconds): timed regions that add up to more than
// the child's life (a child with the process reference runs the threaded and the process split
// twice each, otherwise each region `repeats` times), a worker whose time is longer than its
// region's, or workers that used more CPU than the whole child. nullopt when nothing
// contradicts, and for a rule whose measurement is missing (older files, fakes).
std::optional<std::string> report_contradiction(const Sample& sample, int repeats);

// Turns every ok sample with a report_contradiction into a failed one ("inconsistent report:
// ...", kind "inconsistent-report"), so no summary uses a forged report.
void mark_inconsistent_reports(std::vector<Sample>& samples, int repeats);

// A sample's warning that CPython printed on the child's stderr rather than to the workload's
// catch_warnings block starts with this: it was raised at start-up (site running a .pth file or
// sitecustomize), before the workload began.
inline constexpr std::string_view k_startup_warning_prefix = "at start-up: ";

// The module named by a "GIL has been enabled to load module 'x'" RuntimeWarning, if any.
std::optional<std::string> module_reenabling_gil(const std::vector<std::string>& warnings);

// The failed checks in the samples, one per cell and kind ("wrong-count", "wrong-result",
// "object-result", "crash", "timeout", "inconsistent-report", "gil-enabled", "wrong-flavor"), each
// saying in how many rounds, what happened first and what to do. `gil_override` is the PYTHON_GIL
// gilguard passed on, named when it explains a GIL.
std::vector<CheckFailure> check_samples(const std::vector<Sample>& samples,
                                        const std::optional<std::string>& gil_override);

// "wrong-flavor" failures when the --gil interpreter is free-threaded or the --ft one has the
// GIL in its build (from the probe facts). `prefix` names the option pair: "" for --gil/--ft,
// "base-" for --base-gil/--base-ft.
std::vector<CheckFailure> check_interpreters(const InterpreterFacts& gil,
                                             const InterpreterFacts& ft,
                                             std::string_view prefix = "");

// The "wrong-flavor" failure of check_interpreters for `ft` alone (the --{prefix}ft interpreter
// has the GIL in its build); nullopt for a free-threaded build.
std::optional<CheckFailure> check_free_threaded(const InterpreterFacts& ft,
                                                std::string_view prefix = "");

// The failed checks of the --import probes of `ft_python`: "import-failed" for a module that
// could not be imported (with its traceback's last lines), "import-gil" for one whose import
// switched the GIL on (naming every module CPython named), and one "gil-enabled" when the GIL
// was on before any import, at start-up (naming the modules site loaded).
std::vector<CheckFailure> check_imports(const std::vector<ImportCheck>& imports,
                                        const std::string& ft_python);

// The "import-time-limit" failure: the --import probes spent `limit` (at most `per_module` each)
// before `left_out` were probed, so those were not checked.
CheckFailure imports_over_time(const std::vector<std::string>& left_out,
                               std::chrono::milliseconds limit,
                               std::chrono::milliseconds per_module);

}  // namespace gilguard::measure
