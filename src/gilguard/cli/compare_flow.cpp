#include "gilguard/cli/compare_flow.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "gilguard/baseline/key.hpp"
#include "gilguard/baseline/store.hpp"
#include "gilguard/baseline/update.hpp"
#include "gilguard/measure/recheck.hpp"
#include "gilguard/report/text.hpp"
#include "gilguard/workload/spec.hpp"

namespace gilguard::cli {

void add_compare_options(CLI::App& command, CompareSettings& settings) {
  command
      .add_option("--baselines", settings.baselines_dir,
                  "Directory of baseline files, one <key>.json per runner class")
      ->type_name("DIR")
      ->capture_default_str();
  command
      .add_option("--baseline-key", settings.baseline_key,
                  "Baseline key to compare with (default: derived from OS, architecture, usable "
                  "CPUs, Python version and workload), e.g. a runner label. In an A/B run it "
                  "names the comparison (reports, the sticky comment) and no file is read")
      ->type_name("KEY");
  command
      .add_option("--threshold", settings.threshold,
                  fmt::format("Smallest change that counts, in percent (default {:g}); a "
                              "regression must exceed it and the baseline's run-to-run spread",
                              stats::k_default_threshold * 100))
      ->type_name("PCT");
  command
      .add_option("--gate-single-thread", settings.gate_single_thread,
                  "Whether single-thread time gates the check (the free-threaded overhead; in an "
                  "A/B run both flavours' single-thread times): yes, no (reported as "
                  "information), or auto: yes for primes and the built-ins, no for a workload "
                  "file, whose own work per call may change. The background-work metric always "
                  "gates")
      ->type_name("yes|no|auto")
      ->capture_default_str();
}

namespace {

// --threshold as a fraction, or nullopt when not given; throws a usage Failure when it is not a
// percentage.
std::optional<double> parse_threshold(const CompareSettings& settings) {
  if (settings.threshold.empty()) return std::nullopt;
  std::string text = settings.threshold;
  if (!text.empty() && text.back() == '%') text.pop_back();
  double percent = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), percent);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() ||
      !std::isfinite(percent) || percent <= 0 || percent >= 100)
    throw usage_error(
        fmt::format("--threshold {}: pass a percentage greater than 0 and less than 100, such as "
                    "--threshold 5 (the default; {:g} in an A/B run)",
                    settings.threshold, stats::k_default_ab_threshold * 100));
  return percent / 100;
}

}  // namespace

bool gate_single_thread(const CompareSettings& settings, std::string_view workload) {
  const auto& value = settings.gate_single_thread;
  if (value == "yes") return true;
  if (value == "no") return false;
  if (value != "auto")
    throw usage_error(fmt::format(
        "--gate-single-thread {}: pass yes (a slower single thread fails the check), no (it is "
        "reported as information) or auto (yes for primes and the built-ins, no for a workload "
        "file)",
        value));
  const auto spec = workload::spec_from_label(workload);
  return spec && spec->kind != workload::WorkloadSpec::Kind::file;
}

stats::CompareOptions to_compare_options(const CompareSettings& settings,
                                         const MachineFacts& machine, std::string_view workload) {
  stats::CompareOptions options;
  options.max_gated_threads = machine.usable_cores();
  options.cpu_key = machine.cpu.key();
  options.threshold = parse_threshold(settings).value_or(stats::k_default_threshold);
  options.gate_overhead = gate_single_thread(settings, workload);
  return options;
}

stats::AbOptions to_ab_options(const CompareSettings& settings, const MachineFacts& machine,
                               std::string_view workload) {
  stats::AbOptions options;
  options.max_gated_threads = machine.usable_cores();
  options.threshold = parse_threshold(settings).value_or(stats::k_default_ab_threshold);
  options.gate_time = gate_single_thread(settings, workload);
  return options;
}

LoadedBaseline load_baseline(const RunResult& run, const CompareSettings& settings) {
  LoadedBaseline loaded;
  if (settings.baseline_key.empty()) {
    loaded.key = baseline::derive_key(run);
  } else {
    value_or_throw(baseline::validate_key(settings.baseline_key),
                   fmt::format("--baseline-key {}", settings.baseline_key));
    loaded.key = settings.baseline_key;
  }
  // An A/B run compares head with base: the key only names the comparison (reports, comment).
  if (run.is_ab()) return loaded;
  const auto file = value_or_throw(baseline::load(settings.baselines_dir, loaded.key), "");
  if (file) {
    value_or_throw(baseline::check_results_match(*file, run), "");
    loaded.history = file->summaries();
  }
  return loaded;
}

namespace {

// The note the reports show when `run` measured a workload file whose SHA-256 differs from the
// one the newest run of `history` recorded (workload::changed_file_note); nullopt otherwise.
std::optional<std::string> workload_note(const RunResult& run,
                                         const std::vector<BaselineRun>& history) {
  const auto spec = workload::spec_from_label(run.parameters.workload);
  if (!spec || history.empty()) return std::nullopt;
  const auto& recorded = history.back().provenance.workload_digest;
  return workload::changed_file_note(
      *spec, recorded.empty() ? std::nullopt : std::optional<std::string>(recorded),
      run.parameters.workload_digest);
}

}  // namespace

Comparison compare_run(const RunResult& run, const CompareSettings& settings,
                       const LoadedBaseline& baseline) {
  Comparison comparison;
  if (run.is_ab()) {
    comparison = stats::compare_ab(run.samples,
                                   to_ab_options(settings, run.machine, run.parameters.workload));
    comparison.base_label = run.base_label;
    comparison.baseline_key = baseline.key.empty() ? baseline::derive_key(run) : baseline.key;
    comparison.head_version = run.ft.version;
    comparison.base_version = run.base_ft->version;
  } else {
    const auto options = to_compare_options(settings, run.machine, run.parameters.workload);
    comparison = stats::compare_samples(run.samples, baseline.history, options);
    comparison.baseline_key = baseline.key;
    comparison.baseline_path =
        baseline::baseline_path(settings.baselines_dir, baseline.key).string();
    comparison.workload_note = workload_note(run, baseline.history);
  }
  comparison.workload = run.parameters.workload;
  // Derived again from the samples: a results file may have been edited since its run.
  for (const auto& failure : measure::recheck_failures(run))
    comparison.failed_checks.push_back(failure.message);
  return comparison;
}

Comparison compare_run(const RunResult& run, const CompareSettings& settings) {
  return compare_run(run, settings, load_baseline(run, settings));
}

ExitCode exit_code_for(const Comparison& comparison) {
  if (!comparison.failed_checks.empty() || comparison.overall == Verdict::regression) {
    return ExitCode::regression;
  }
  return ExitCode::ok;
}

std::string terminal_report(const Comparison& comparison, const RunResult* run,
                            const std::string& results_path, const std::string& comparison_path,
                            const std::string& baselines_dir) {
  report::ReportLinks links;
  links.results_path = results_path;
  links.comparison_path = comparison_path;
  links.baselines_dir = baselines_dir;
  const bool colour = ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  return report::render_text(comparison, run, links, colour);
}

}  // namespace gilguard::cli
