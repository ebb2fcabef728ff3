#pragma once

#include <vector>

#include "gilguard/core/error.hpp"
#include "gilguard/core/run_result.hpp"

namespace gilguard::measure {

// Times a sample may hold, in seconds: below a nanosecond or above about 11 days no child of
// this gilguard measured it, and between them every ratio of two times stays a normal number.
inline constexpr double k_min_seconds = 1e-9;
inline constexpr double k_max_seconds = 1e6;

// Fails, naming the field ("samples[3].t_par: ..."), when a results file (which may have been
// edited) cannot come from a run of this gilguard: a workload that is not a label of this
// gilguard (primes, builtin:NAME, file:FILE.py:FUNCTION), a range outside the bounds of --range
// (0 only for a sized range no child could size), or a successful sample whose t_seq or t_par lies
// outside [k_min_seconds, k_max_seconds].
Expected<void> validate_results(const RunResult& result);

// The failed checks of a results file derived again from its interpreter facts and samples,
// as `gilguard run` derives them (wrong prime counts against the count gilguard computes for
// the range; for other workloads, folded results that disagree or differ from a built-in's
// expectation, reports that contradict the child's measured wall or CPU time, the GIL enabled
// in the free-threaded flavour, crashes, timeouts, swapped flavours), after the failures the file
// records; a derived failure the file already records for the same cell and kind is not repeated.
// Call validate_results first.
std::vector<CheckFailure> recheck_failures(const RunResult& result);

}  // namespace gilguard::measure
