#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/workload/spec.hpp"

namespace gilguard::workload {

// Seconds the sequential region aims at when the harness sizes the range itself (range 0).
inline constexpr double k_target_seconds = 0.25;

// The Python source of the harness that runs a built-in or a user function f(i) for every i in
// [0, RANGE): sequentially, then split into contiguous chunks over THREADS threads (or the other
// way round), folding the results into one order-free number per region, so that both regions
// must agree (and, for a built-in, equal its closed-form expectation). Run as
// `python -I -c SCRIPT SPEC RANGE THREADS SEQ_FIRST [MODULE...]` with SPEC "builtin:NAME" or
// "/abs/FILE.py:FUNCTION"; RANGE 0 sizes the range first so that the sequential region takes
// about k_target_seconds. Prints one JSON line: workload, range, threads, seq_first, count_seq,
// count_par (the folded results), expected (null for a file), t_seq, t_par, thread_times,
// gil_enabled, warnings.
std::string_view harness_script();

// The argv of one harness child; a file's path is made absolute (children may start elsewhere).
std::vector<std::string> harness_argv(const std::filesystem::path& python, const WorkloadSpec& spec,
                                      std::int64_t range, int threads, bool seq_first,
                                      const std::vector<std::string>& imports = {});

}  // namespace gilguard::workload
