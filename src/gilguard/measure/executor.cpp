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
#include "gilguard/workload/workload.hpp"

namespace gilguard::measure {
namespace {

constexpr std::size_t k_stderr_tail_lines = 20;
constexpr std::size_t k_stdout_tail_lines = 5;
constexpr std::size_t k_max_capture_bytes = 1024 * 1024;
// A warning's text is kept up to this many bytes (a message can be any size).
constexpr std::size_t k_max_warning_chars = 1000;

std::string stderr_suffix(const std::string& stderr_text) {
  const auto tail = util::tail_lines(stderr_text, k_stderr_tail_lines);
  if (tail.find_first_not_of(" \t\r\n") == std::string::npos) return "; stderr was empty";
  return fmt::format("; last lines of stderr:\n{}", tail);
}

// `text` cut to k_max_warning_chars bytes, at the start of a UTF-8 character.
std::string cut(std::string text) {
  if (text.size() <= k_max_warning_chars) return text;
  std::size_t end = k_max_warning_chars;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

// The non-empty lines of a child's report channel: gilguard's harness writes one.
std::size_t report_lines(std::string_view text) {
  std::size_t lines = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    if (text.substr(pos, end - pos).find_first_not_of(" \t\r") != std::string_view::npos) ++lines;
    pos = end + 1;
  }
  return lines;
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
  const workload::HarnessRun run{request.range, request.threads, request.seq_first,
                                 request.reference, request.repeats};
  return workload::make_workload(workload)->child_argv(
      python, run, imports, flavor == Flavor::ft ? gil_override : std::nullopt);
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
  // The report comes on a channel of its own; stdout is the workload's.
  options.report_fd = workload::k_report_fd;
  auto environment = m_environment;
  environment[std::string(workload::k_report_fd_variable)] = std::to_string(workload::k_report_fd);
  const auto& imports = cell.flavor == Flavor::ft ? m_ft_imports : std::vector<std::string>{};
  const auto result = util::run_process(
      workload_child_argv(python, cell.flavor, request, m_gil_override, imports, m_workload),
      environment, options);
  if (!result) {
    sample.failure = fmt::format("could not start {}: {}", python.string(), result.error().message);
    return sample;
  }
  sample.wall_seconds = result->wall_seconds;
  if (result->timed_out) {
    sample.failure = fmt::format(
        "{} after {:.1f} s {}and was killed with its process group{}{}", k_timeout_prefix,
        result->wall_seconds,
        request.range == 0 ? fmt::format("{} (no --range was given) ", k_sizing_note) : "",
        result->leftovers(), stderr_suffix(result->stderr_text));
    return sample;
  }
  if (!result->success()) {
    if (const auto line = result->stderr_text.rfind(workload::k_object_result_line);
        line != std::string::npos) {
      const auto begin = line + workload::k_object_result_line.size();
      const auto end = result->stderr_text.find('\n', begin);
      sample.failure = fmt::format("{}: {}", k_object_result_prefix,
                                   cut(result->stderr_text.substr(begin, end - begin)));
      return sample;
    }
    sample.failure = fmt::format("the interpreter ended with {}{}{}", result->describe(),
                                 result->leftovers(), stderr_suffix(result->stderr_text));
    return sample;
  }
  if (const auto lines = report_lines(result->report_text); lines > 1) {
    sample.failure = fmt::format(
        "{}: the child wrote {} reports where gilguard's harness writes one, so something else "
        "in it (the workload, a module it imports, a .pth file) wrote to its report channel",
        k_inconsistent_prefix, lines);
    return sample;
  }
  auto report = baseline::decode_child_report(result->report_text);
  if (!report) {
    // The workload's own output may say why; it is never read as a report.
    const auto out = util::tail_lines(result->stdout_text, k_stdout_tail_lines);
    sample.failure = fmt::format(
        "the child's report could not be read ({}){}{}{}", report.error().message,
        result->leftovers(), stderr_suffix(result->stderr_text),
        out.find_first_not_of(" \t\r\n") == std::string::npos
            ? std::string()
            : fmt::format("; last lines of its stdout (the workload's output):\n{}", out));
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
  sample.child_cpu_seconds = result->cpu_seconds;
  if (request.reference && !(sample.t_ref > 0)) {
    sample.ok = false;
    sample.failure = "the workload measured no process reference, though one was asked for";
  } else if (auto contradiction = report_contradiction(sample, request.repeats)) {
    sample.ok = false;
    sample.failure = std::move(*contradiction);
  }
  sample.warnings = startup_warnings(result->stderr_text);
  sample.distinct_warnings = report->distinct_warnings;
  if (report->warnings.size() > workload::k_max_reported_warnings)
    report->warnings.resize(workload::k_max_reported_warnings);
  for (auto& warning : report->warnings) sample.warnings.push_back(cut(std::move(warning)));
  return sample;
}

}  // namespace gilguard::measure
