#include "gilguard/measure/executor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "gilguard/baseline/child_codec.hpp"
#include "gilguard/measure/checks.hpp"
#include "gilguard/python/gil_messages.hpp"
#include "gilguard/workload/harness.hpp"
#include "gilguard/workload/prelude.hpp"
#include "gilguard/workload/primes.hpp"

namespace gilguard::measure {
namespace {

constexpr std::size_t k_stderr_tail_lines = 20;
constexpr std::size_t k_max_capture_bytes = 1024 * 1024;

std::string stderr_suffix(const std::string& stderr_text) {
  const auto tail = util::tail_lines(stderr_text, k_stderr_tail_lines);
  if (tail.find_first_not_of(" \t\r\n") == std::string::npos) return "; stderr was empty";
  return fmt::format("; last lines of stderr:\n{}", tail);
}

}  // namespace

bool is_timeout(const Sample& sample) {
  return !sample.ok && sample.failure.starts_with(k_timeout_prefix);
}

util::Environment child_environment(const util::Environment& parent) {
  util::Environment env;
  for (const auto name : k_child_environment_allow_list) {
    const auto it = parent.find(std::string(name));
    if (it != parent.end()) env.emplace(it->first, it->second);
  }
  return env;
}

std::vector<std::string> child_argv(const std::filesystem::path& python, Flavor flavor,
                                    const ChildRequest& request,
                                    const std::optional<std::string>& gil_override,
                                    const std::vector<std::string>& imports) {
  return workload::script_argv(python, flavor == Flavor::ft ? gil_override : std::nullopt,
                               workload::prime_script(),
                               {std::to_string(request.range), std::to_string(request.threads),
                                request.seq_first ? "1" : "0", request.reference ? "1" : "0",
                                std::to_string(request.repeats)},
                               imports);
}

std::vector<std::string> workload_child_argv(const std::filesystem::path& python, Flavor flavor,
                                             const ChildRequest& request,
                                             const std::optional<std::string>& gil_override,
                                             const std::vector<std::string>& imports,
                                             const workload::WorkloadSpec& workload) {
  if (workload.is_primes()) return child_argv(python, flavor, request, gil_override, imports);
  const workload::HarnessRun run{request.range, request.threads, request.seq_first,
                                 request.reference};
  return workload::harness_argv(python, workload, run, imports,
                                flavor == Flavor::ft ? gil_override : std::nullopt);
}

std::vector<std::string> startup_warnings(const std::string& stderr_text) {
  std::vector<std::string> warnings;
  for (const auto& message : python::gil_warnings_in_stderr(stderr_text))
    warnings.push_back(std::string(k_startup_warning_prefix) + message);
  return warnings;
}

ProcessExecutor::ProcessExecutor(std::filesystem::path gil_python, std::filesystem::path ft_python,
                                 const util::Environment& parent_environment)
    : m_gil_python(std::move(gil_python)),
      m_ft_python(std::move(ft_python)),
      m_environment(child_environment(parent_environment)) {
  if (const auto it = m_environment.find("PYTHON_GIL"); it != m_environment.end())
    m_gil_override = it->second;
  // One cgroup for the children, one at a time: what each starts is killed when it ends.
  auto cgroup = util::ChildCgroup::create("children");
  if (cgroup && cgroup->enter()) {
    cgroup->leave();
    m_environment[std::string(k_tree_cpu_variable)] = cgroup->usage_spec();
    m_background_source = cgroup->kind();
    m_cgroup = std::move(*cgroup);
  } else {
    m_background_source = "process tree";
  }
}

Sample ProcessExecutor::execute(const Cell& cell, const ChildRequest& request) {
  Sample sample;
  sample.cell = cell;
  sample.seq_first = request.seq_first;
  const bool base = cell.side == Side::base && m_base;
  const auto& python = cell.flavor == Flavor::gil ? (base ? m_base->gil : m_gil_python)
                                                  : (base ? m_base->ft : m_ft_python);

  util::ProcessOptions options;
  options.timeout = request.timeout;
  options.cgroup = m_cgroup ? &*m_cgroup : nullptr;
  options.max_capture_bytes = k_max_capture_bytes;
  const auto& imports = cell.flavor == Flavor::ft ? m_ft_imports : std::vector<std::string>{};
  const auto result = util::run_process(
      workload_child_argv(python, cell.flavor, request, m_gil_override, imports, m_workload),
      m_environment, options);
  if (!result) {
    sample.failure = fmt::format("could not start {}: {}", python.string(), result.error().message);
    return sample;
  }
  sample.wall_seconds = result->wall_seconds;
  if (result->timed_out) {
    sample.failure =
        fmt::format("{} after {:.1f} s and was killed with its process group{}{}", k_timeout_prefix,
                    result->wall_seconds, result->leftovers(), stderr_suffix(result->stderr_text));
    return sample;
  }
  if (!result->success()) {
    sample.failure = fmt::format("the interpreter ended with {}{}{}", result->describe(),
                                 result->leftovers(), stderr_suffix(result->stderr_text));
    return sample;
  }
  auto report = baseline::decode_child_report(result->stdout_text);
  if (!report) {
    sample.failure =
        fmt::format("the workload's output could not be read ({}){}{}", report.error().message,
                    result->leftovers(), stderr_suffix(result->stderr_text));
    return sample;
  }
  const bool sized = request.range == 0;
  if ((sized ? report->range < 1 : report->range != request.range) ||
      report->threads != request.threads) {
    sample.failure = fmt::format(
        "the workload reported range {} with {} threads, but {} with {} threads was asked for",
        report->range, report->threads,
        sized ? std::string("a range it sizes") : fmt::format("range {}", request.range),
        request.threads);
    return sample;
  }
  if (sized) sample.sized_range = report->range;
  sample.expected = report->expected;
  sample.ok = true;
  sample.seq_first = report->seq_first;
  sample.t_seq = report->t_seq;
  sample.t_par = report->t_par;
  sample.thread_times = std::move(report->thread_times);
  sample.thread_warm_up = std::move(report->thread_warm_up);
  sample.count_seq = report->count_seq;
  sample.count_par = report->count_par;
  sample.gil_enabled = report->gil_enabled;
  sample.t_ref = report->t_ref;
  sample.ref_times = std::move(report->ref_times);
  sample.count_ref = report->count_ref;
  sample.cpus = report->cpus;
  sample.seq_load = report->seq_load;
  sample.par_load = report->par_load;
  sample.ref_load = report->ref_load;
  sample.background_source = m_background_source;
  sample.background_by = std::move(report->background_by);
  if (request.reference && !(sample.t_ref > 0)) {
    sample.ok = false;
    sample.failure = "the workload measured no process reference, though one was asked for";
  }
  sample.warnings = startup_warnings(result->stderr_text);
  for (auto& warning : report->warnings) sample.warnings.push_back(std::move(warning));
  return sample;
}

}  // namespace gilguard::measure
