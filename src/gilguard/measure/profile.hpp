#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/comparison.hpp"
#include "gilguard/stats/profile.hpp"
#include "gilguard/workload/spec.hpp"

// In which function (issue 23): a second, short pass after a regression of the speedup against
// processes. A few free-threaded children run under `perf record` (the software clock event, so
// no hardware counters are needed; call graphs by frame pointer) with CPython's perf map support
// (-X perf) for Python frames; their threaded workers' samples are weighed against their process
// workers'. Never part of the measured rounds.
namespace gilguard::measure {

// Samples of one perf recording, split by where they ran: the threads of the first process seen
// (the child: pid equal to the recording's first sample's, tid not) and the other processes (its
// forked reference workers). The child's main thread (the sequential region, the harness) is
// left out.
struct RegionSamples {
  stats::FunctionSamples threads;
  stats::FunctionSamples processes;
  std::vector<int> pids;  // every process seen (their perf maps are removed afterwards)
};

// Reads `perf script -F pid,tid,ip,sym` output of a recording with call graphs into `into`: the
// leaf frame's symbol of each sample, and its innermost frame from CPython's perf map
// ("py::..."), if any.
void count_perf_script(std::string_view text, RegionSamples& into);

// What the pass found: the functions whose share grew most, and a sentence on what ran (or why
// it could not: no perf, perf refused, no samples).
struct SamplingOutcome {
  std::vector<FunctionShare> functions;
  std::string note;
};

// Runs `children` free-threaded children of `workload` at `threads` threads with the process
// reference under `perf` (found on PATH or in /usr/bin) and returns what grew. Never throws for
// perf's failures: the note says what happened.
SamplingOutcome sample_functions(const std::filesystem::path& ft_python,
                                 const workload::WorkloadSpec& workload, std::int64_t range,
                                 int threads, int children = 3);

}  // namespace gilguard::measure
