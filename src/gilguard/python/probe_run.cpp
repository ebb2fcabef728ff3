#include "gilguard/python/probe_run.hpp"

#include <fmt/format.h>

namespace gilguard::python {
namespace {

constexpr std::size_t k_max_capture_bytes = 16 * 1024 * 1024;
constexpr int k_report_fd = 3;

}  // namespace

Expected<util::ProcessResult> run_reporting_probe(const std::vector<std::string>& argv,
                                                  util::Environment env,
                                                  std::chrono::milliseconds timeout) {
  util::ProcessOptions options;
  options.timeout = timeout;
  options.max_capture_bytes = k_max_capture_bytes;
  options.report_fd = k_report_fd;
  env["GILGUARD_REPORT_FD"] = std::to_string(k_report_fd);
  return util::run_process(argv, env, options);
}

std::string unfinished_probe(const util::ProcessResult& run, std::string_view what,
                             const std::string& stderr_tail) {
  const auto how = run.timed_out
                       ? fmt::format("was killed after {:.1f} s (its time limit)", run.wall_seconds)
                       : fmt::format("ended with {}", run.describe());
  return fmt::format("the interpreter {} before {}{}{}", how, what, run.leftovers(),
                     stderr_tail.empty() ? "; stderr was empty"
                                         : fmt::format("; last lines of stderr:\n{}", stderr_tail));
}

}  // namespace gilguard::python
