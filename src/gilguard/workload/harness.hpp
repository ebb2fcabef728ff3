#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/workload/spec.hpp"

namespace gilguard::workload {

// Seconds the sequential region aims at when the harness sizes the range itself (range 0).
inline constexpr double k_target_seconds = 0.25;
// The bounds of a range the harness sizes: those of --range (measure::k_min_range and
// k_max_range), so a sized range is one the user could have given. A function slower than
// k_target_seconds / k_min_sized_range a call runs k_min_sized_range indices all the same.
inline constexpr std::int64_t k_min_sized_range = 100;
inline constexpr std::int64_t k_max_sized_range = 100'000'000;

// The line a harness child writes on stderr before it exits with status 1 when a result cannot
// be compared (an object whose repr holds its memory address), followed by what it returned.
inline constexpr std::string_view k_object_result_line = "gilguard-harness: object result: ";

// The Python source of the harness that runs a built-in or a user function f(i) for every i in
// [0, RANGE): sequentially, then split into contiguous chunks over THREADS threads (or the other
// way round), folding the results into one order-free number per region, so that both regions
// must agree (and, for a built-in, equal its closed-form expectation); with REFERENCE 1 also over
// the same chunks in forked single-threaded processes (the same-machine reference, as the prime
// script measures it, with the same readings around each region: child_prelude()). Run as
// `python -I [-X gil=V] -c SCRIPT SPEC RANGE THREADS SEQ_FIRST REFERENCE [MODULE...]` with SPEC
// "builtin:NAME" or "/abs/FILE.py:FUNCTION[[PARAMS]]" (the file imported and its setup() called
// before anything is timed, in the child and in each reference worker); RANGE 0 sizes the range
// first so that the sequential region takes about k_target_seconds (within k_min_sized_range and
// k_max_sized_range). Writes one JSON line to the report channel (child_prelude()) with the prime
// script's fields (see baseline::decode_child_report) and `workload` and `expected` (null for a
// file). An exception in the function ends the child with its traceback on stderr.
std::string_view harness_script();

// What one harness child measures.
struct HarnessRun {
  std::int64_t range = 0;  // 0: sized in the child
  int threads = 1;
  bool seq_first = true;
  bool reference = false;  // also the forked-process reference
  int repeats = 1;         // alternations of the regions (the prime workload only)
};

// The argv of one harness child; a file's path is made absolute (children may start elsewhere).
// `gil_override` becomes -X gil=V (free-threaded children only: -I hides PYTHON_GIL).
std::vector<std::string> harness_argv(
    const std::filesystem::path& python, const WorkloadSpec& spec, const HarnessRun& run,
    const std::vector<std::string>& imports = {},
    const std::optional<std::string>& gil_override = std::nullopt);

}  // namespace gilguard::workload
