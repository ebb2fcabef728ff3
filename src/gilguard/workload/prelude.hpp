#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gilguard::workload {

// The Python both child scripts (the prime script and the harness) start with, so the two
// measure alike without a copy of each other: the CPU placement of the workers (distinct physical
// cores first) and pin(), the run-queue, steal, pressure and throttling readings around a timed
// region (counters, sched_times, region_load), the split into chunks, the timed regions
// (sequential_region, threaded_region, and measure_regions, which runs them in their order), the
// same-machine reference in single-threaded processes forked by a zygote that the script starts
// before any code under test runs (Zygote, processes; each worker loads the workload itself
// with the script's `load_work`), the record of distinct warnings (WarningLog), and finish(),
// which writes the report line with the GIL state and the warnings caught to the report channel
// (k_report_fd_variable), taken over before any code under test runs. It defines functions and
// a few constants from `os` only; what the functions use besides (json, threading,
// perf_counter, process_time, thread_time) the script's `load_work` imports as globals.
std::string_view child_prelude();

// The environment variable naming the descriptor of a child's report channel, and the number
// gilguard passes it at (util::ProcessOptions::report_fd): the first after stdin, stdout and
// stderr. The prelude removes the variable and moves the descriptor to a random number.
inline constexpr std::string_view k_report_fd_variable = "GILGUARD_REPORT_FD";
inline constexpr int k_report_fd = 3;

// How many distinct warnings a child's report lists in full (the prelude's MAX_WARNINGS); the
// report counts them all.
inline constexpr std::size_t k_max_reported_warnings = 10;

// The argv of a child that runs `script`: PYTHON -I [-X gil=V] -c SCRIPT ARGS... MODULES...
// (-I isolates the child from the job's environment, so gilguard's own PYTHON_GIL is passed on
// as -X gil=V when `gil_override` is set; the modules are the --import ones).
std::vector<std::string> script_argv(const std::filesystem::path& python,
                                     const std::optional<std::string>& gil_override,
                                     std::string_view script, std::vector<std::string> args,
                                     const std::vector<std::string>& imports);

}  // namespace gilguard::workload
