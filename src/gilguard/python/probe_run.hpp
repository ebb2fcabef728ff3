#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/error.hpp"
#include "gilguard/util/process.hpp"

// Running a short Python probe of gilguard's (the --import probe, the distribution discovery)
// that answers on the report channel: the descriptor GILGUARD_REPORT_FD names, the number the
// benchmark children use (workload::k_report_fd), so what the code under test prints on stdout
// is never taken for its answer.
namespace gilguard::python {

// Runs `argv` with the report channel open and named in its environment, its output capped.
Expected<util::ProcessResult> run_reporting_probe(const std::vector<std::string>& argv,
                                                  util::Environment env,
                                                  std::chrono::milliseconds timeout);

// Why a probe gave no answer: "the interpreter was killed after 1.2 s (its time limit) before
// WHAT", or "ended with ...", what it left behind, and `stderr_tail` (or that stderr was empty).
std::string unfinished_probe(const util::ProcessResult& run, std::string_view what,
                             const std::string& stderr_tail);

}  // namespace gilguard::python
