#pragma once

#include <string_view>

namespace gilguard::workload {

// The Python both child scripts (the prime script and the harness) start with, so the two
// measure alike without a copy of each other: the CPU placement of the workers (distinct physical
// cores first) and pin(), the run-queue, steal, pressure and throttling readings around a timed
// region (counters, sched_times, region_load), the same-machine reference in forked
// single-threaded processes (fork_workers, processes), and finish(), which prints the report line
// with the GIL state and the warnings caught. It defines functions and a few constants from `os`
// only; what the functions use besides (json, perf_counter, process_time) the script imports
// inside its catch_warnings block.
std::string_view child_prelude();

}  // namespace gilguard::workload
