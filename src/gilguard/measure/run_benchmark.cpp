#include "gilguard/measure/run_benchmark.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "gilguard/measure/checks.hpp"
#include "gilguard/measure/summary.hpp"
#include "gilguard/python/imports.hpp"
#include "gilguard/python/probe.hpp"
#include "gilguard/util/machine.hpp"
#include "gilguard/version.hpp"
#include "gilguard/workload/harness.hpp"
#include "gilguard/workload/workload.hpp"

namespace gilguard::measure {
namespace {

static_assert(workload::k_min_sized_range == k_min_range &&
                  workload::k_max_sized_range == k_max_range,
              "a sized range must be one --range accepts");

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string utc_now_iso8601() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

// A fresh seed below 2^53, so that it survives JSON readers that hold numbers as doubles.
std::uint64_t random_seed() {
  std::random_device device;
  const std::uint64_t high = device();
  const std::uint64_t low = device();
  return ((high << 32) | low) & ((std::uint64_t{1} << 53) - 1);
}

void validate(const RunRequest& request, const workload::Workload& described,
              const std::vector<int>& threads) {
  const bool sized = request.range == 0 && described.sizes_range();
  if (!sized && (request.range < k_min_range || request.range > k_max_range))
    throw usage_error(fmt::format(
        "range {} is out of bounds: pass --range with an integer from {} to {} (the default is {})",
        request.range, k_min_range, k_max_range, workload::k_default_range));
  for (const int t : threads)
    if (t < 1 || t > k_max_threads)
      throw usage_error(
          fmt::format("thread count {} is out of bounds: pass --threads with counts from 1 to {}, "
                      "or 'auto'",
                      t, k_max_threads));
  if (!described.repeats_regions() && request.repeats != 1)
    throw usage_error(
        fmt::format("--repeats is for the prime workload only: leave it out with --workload {}",
                    described.label()));
  if (request.repeats < 1 || request.repeats > k_max_repeats)
    throw usage_error(fmt::format("{} repeats: pass --repeats with a whole number from 1 to {}",
                                  request.repeats, k_max_repeats));
  if (request.rounds < 0)
    throw usage_error(
        fmt::format("{} rounds: pass --rounds with a positive integer", request.rounds));
  if (request.time_budget < 0 || !std::isfinite(request.time_budget))
    throw usage_error("pass --time-budget with a positive number of seconds");
}

}  // namespace

std::vector<int> auto_thread_counts(int usable_cpus) {
  std::vector<int> counts{1};
  for (int t = 2; t <= usable_cpus; t *= 2) counts.push_back(t);
  if (usable_cpus > 1) counts.push_back(usable_cpus);
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
  return counts;
}

std::vector<Cell> plan_cells(const std::vector<int>& threads, int usable_cpus) {
  auto sorted = threads;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<Cell> cells;
  for (const auto flavor : {Flavor::gil, Flavor::ft})
    for (const int t : sorted) cells.push_back({flavor, t, t <= usable_cpus});
  return cells;
}

std::vector<Cell> plan_ab_cells(const std::vector<int>& threads, int usable_cpus) {
  auto counts = threads;
  if (std::ranges::any_of(counts, [](int t) { return t > 1; }))
    std::erase_if(counts, [](int t) { return t <= 1; });
  std::vector<Cell> cells;
  for (auto cell : plan_cells(counts, usable_cpus)) {
    cells.push_back(cell);
    cell.side = Side::base;
    cells.push_back(cell);
  }
  return cells;
}

std::chrono::milliseconds default_child_timeout(std::int64_t range) {
  const double estimate = 10.0 * std::pow(static_cast<double>(range) / 1e6, 1.5);
  const double seconds = std::max(60.0, 20.0 * estimate);
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

MachineFacts current_machine() {
  MachineFacts machine;
  machine.cpu_model = util::cpu_model();
  machine.logical_cpus = util::logical_cpus();
  machine.affinity_cpus = util::usable_cpus();
  machine.cpu_quota = util::cgroup_cpu_quota();
  machine.usable_cpus = machine.affinity_cpus;
  if (machine.cpu_quota)
    machine.usable_cpus = std::clamp(static_cast<int>(std::ceil(*machine.cpu_quota - 1e-9)), 1,
                                     machine.affinity_cpus);
  const auto cores = util::physical_cores(util::affinity_cpus());
  machine.physical_cores = cores.cores;
  machine.threads_per_core = cores.threads_per_core;
  machine.machine_id = util::machine_identity();
  const auto cpu = util::cpu_info();
  machine.cpu = {cpu.vendor,     cpu.family,    cpu.model, cpu.stepping,
                 cpu.model_name, cpu.microcode, cpu.caches};
  const auto name = util::system_name();
  machine.os = name.os;
  machine.arch = name.arch;
  machine.kernel = name.kernel;
  machine.load_start = util::load_average();
  return machine;
}

RunResult run_benchmark(const RunRequest& request, const InterpreterFacts& gil,
                        const InterpreterFacts& ft, Executor& executor, const RunHooks& hooks,
                        const std::optional<BaseFacts>& base) {
  RunResult result;
  result.gilguard_version = k_version;
  result.started_at = utc_now_iso8601();
  result.machine = current_machine();
  result.gil = gil;
  result.ft = ft;
  result.source_commit = request.source_commit;
  if (base) {
    result.base_gil = base->gil;
    result.base_ft = base->ft;
    result.base_label = base->label;
  }

  const auto threads =
      request.threads.empty() ? auto_thread_counts(result.machine.usable_cpus) : request.threads;
  const auto described = workload::make_workload(request.workload);
  validate(request, *described, threads);
  const auto cells = base ? plan_ab_cells(threads, result.machine.usable_cores())
                          : plan_cells(threads, result.machine.usable_cores());

  auto& parameters = result.parameters;
  record_workload(request, parameters);
  parameters.repeats = request.repeats;
  for (const auto& cell : cells)
    if (cell.flavor == Flavor::gil && cell.side == Side::head)
      parameters.threads.push_back(cell.threads);
  parameters.seed = request.seed ? *request.seed : random_seed();
  parameters.time_budget = request.rounds == 0 ? request.time_budget : 0;
  const int rounds =
      request.rounds > 0 ? request.rounds : (request.time_budget > 0 ? 0 : k_default_rounds);
  parameters.expected_count = described->expected_result(request.range).value_or(0);

  const auto steal_start = util::steal_seconds();
  result.failures = check_interpreters(gil, ft);
  if (base) {
    auto more = check_interpreters(base->gil, base->ft, "base-");
    result.failures.insert(result.failures.end(), more.begin(), more.end());
  }
  if (result.failures.empty() && !request.imports.empty()) {
    auto probed = probe_imports(request.imports, request.ft_python.string(), hooks,
                                request.import_timeout, request.imports_time_limit);
    result.imports = std::move(probed.imports);
    result.failures = std::move(probed.failures);
  }
  if (result.failures.empty()) {
    ScheduleOptions options;
    options.cells = cells;
    options.range = request.range;
    options.seed = parameters.seed;
    options.rounds = rounds;
    options.time_budget = request.time_budget;
    options.reference = !base && request.repeats <= 1;
    options.repeats = request.repeats;
    options.initial_timeout = request.child_timeout.value_or(
        !described->sizes_range() || request.range == 0 ? default_child_timeout(request.range)
                                                        : k_workload_child_timeout);
    if (request.child_timeout) options.min_timeout = *request.child_timeout;
    options.min_rounds_before_decided = hooks.min_rounds_before_decided;
    options.decided = hooks.decided;
    options.progress = hooks.progress;
    options.clock = hooks.clock;
    auto scheduled = run_rounds(options, executor);
    result.samples = std::move(scheduled.samples);
    parameters.rounds = scheduled.measured_rounds;
    parameters.range = scheduled.range;

    mark_wrong_results(result.samples, *described, parameters.range);
    std::optional<std::string> gil_override;
    if (const char* value = std::getenv("PYTHON_GIL"); value != nullptr) gil_override = value;
    result.failures = check_samples(result.samples, gil_override);
    result.summaries = summarize_cells(cells, result.samples);
    result.ft_overhead = ft_overhead(result.samples).value_or(0);
  }
  result.machine.load_end = util::load_average();
  if (const auto steal_end = util::steal_seconds(); steal_start && steal_end)
    result.machine.steal_seconds = *steal_end - *steal_start;
  return result;
}

ImportProbes probe_imports(const std::vector<std::string>& modules, const std::string& ft_python,
                           const RunHooks& hooks, std::chrono::milliseconds per_module,
                           std::chrono::milliseconds time_limit) {
  if (!hooks.probe_import)
    throw std::logic_error("probe_imports: modules to import without RunHooks::probe_import");
  const auto clock = hooks.clock ? hooks.clock : std::function<double()>(steady_seconds);
  const double started = clock();
  ImportProbes out;
  std::vector<std::string> left_out;
  for (const auto& module : modules) {
    const auto left = time_limit - std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::duration<double>(clock() - started));
    if (left.count() <= 0) {
      left_out.push_back(module);
      continue;
    }
    out.imports.push_back(hooks.probe_import(module, std::min(per_module, left)));
    if (hooks.imported) hooks.imported(out.imports.back());
  }
  out.failures = check_imports(out.imports, ft_python);
  if (!left_out.empty())
    out.failures.push_back(imports_over_time(left_out, time_limit, per_module));
  return out;
}

void prepare_imports(const RunRequest& request, ProcessExecutor& executor, RunHooks& hooks) {
  executor.import_in_ft_children(request.imports);
  hooks.probe_import = [ft = request.ft_python, &executor](const std::string& module,
                                                           std::chrono::milliseconds timeout) {
    return python::probe_import(ft, module, executor.environment(), executor.gil_override(),
                                timeout);
  };
}

std::optional<BaseFacts> probe_base(const RunRequest& request) {
  if (!request.is_ab()) return std::nullopt;
  return BaseFacts{
      value_or_throw(python::probe(request.base_gil_python),
                     fmt::format("probing --base-gil {}", request.base_gil_python.string())),
      value_or_throw(python::probe(request.base_ft_python),
                     fmt::format("probing --base-ft {}", request.base_ft_python.string())),
      request.base_label};
}

void record_workload(const RunRequest& request, RunParameters& parameters) {
  parameters.workload = request.workload.label();
  parameters.workload_digest = request.workload_digest;
  parameters.range = request.range;
  parameters.range_sized = request.range == 0;
}

RunResult run_in_processes(const RunRequest& request, const InterpreterFacts& gil,
                           const InterpreterFacts& ft, const std::optional<BaseFacts>& base,
                           const util::Environment& environment, RunHooks hooks) {
  ProcessExecutor executor(request.gil_python, request.ft_python, environment);
  executor.set_workload(request.workload);
  prepare_imports(request, executor, hooks);
  if (base) executor.set_base(request.base_gil_python, request.base_ft_python);
  return run_benchmark(request, gil, ft, executor, hooks, base);
}

RunResult run_benchmark(const RunRequest& request, const RunHooks& hooks) {
  const auto gil = value_or_throw(python::probe(request.gil_python),
                                  fmt::format("probing --gil {}", request.gil_python.string()));
  const auto ft = value_or_throw(python::probe(request.ft_python),
                                 fmt::format("probing --ft {}", request.ft_python.string()));
  return run_in_processes(request, gil, ft, probe_base(request), util::current_environment(),
                          hooks);
}

}  // namespace gilguard::measure
