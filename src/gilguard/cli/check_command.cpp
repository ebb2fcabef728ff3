#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>

#include "gilguard/baseline/comparison_codec.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/cli/commands.hpp"
#include "gilguard/cli/compare_flow.hpp"
#include "gilguard/cli/print.hpp"
#include "gilguard/cli/run_options.hpp"
#include "gilguard/github/publish.hpp"
#include "gilguard/measure/checks.hpp"
#include "gilguard/measure/profile.hpp"
#include "gilguard/measure/run_benchmark.hpp"
#include "gilguard/python/discover.hpp"
#include "gilguard/python/probe.hpp"
#include "gilguard/util/files.hpp"
#include "gilguard/util/process.hpp"
#include "gilguard/util/secrets.hpp"
#include "gilguard/workload/workload.hpp"

namespace gilguard::cli {
namespace {

// Seconds `gilguard check` measures for when neither --rounds nor --time-budget is given: with
// the stopping rule this reaches a verdict within two minutes on a 2-CPU runner (docs/).
constexpr double k_default_check_budget = 100;
// `gilguard check`'s default range, smaller than `gilguard run`'s (the blog's 1,000,000): a
// round takes about 1.5 s instead of 15 s on 2 CPUs, so the budget holds about 60 rounds
// instead of 6 (too few for the rank test and the stopping rule), and rounds this short were
// as precise per second as any range measured (docs/benchmark-results.md, "The range
// `gilguard check` uses").
constexpr std::int64_t k_default_check_range = 200'000;

// An A/B check's defaults (docs/evaluation.md, "A/B"). No stored baseline ties the range down,
// so it takes the range that is most precise per second for a head/base ratio paired within a
// round: at 30,000 a round of four children takes about 0.7 s on 2 CPUs, and the paired ratio's
// spread per second was the smallest of the ranges tried (20,000 to 200,000). The budget holds
// about 240 rounds; offline on recorded A/A rounds, 200 rounds caught a 5% drop in free-threaded
// scaling 99.9% of the time and 100 rounds 88.8%, with no false alarm in 1000 A/A trials.
constexpr std::int64_t k_default_ab_range = 30'000;
constexpr double k_default_ab_budget = 180;

RunOptions check_run_options() {
  RunOptions options;
  options.default_range = k_default_check_range;
  options.default_time_budget = k_default_check_budget;
  return options;
}

struct CheckOptions {
  RunOptions run = check_run_options();
  CompareSettings compare;
  std::string results = "gilguard-results.json";
  std::string comparison = "gilguard-comparison.json";
  std::string comment = "auto";
  std::string github_token;
  bool fail_on_regression = true;
  bool sample_functions = true;
};

// A regression of a free-threaded speedup against processes gets a second, short pass under
// perf after the measured rounds: in which function the threads spent what they lost (issue 23).
void sample_regressions(Comparison& comparison, const measure::RunRequest& request,
                        const RunResult& result) {
  for (MetricComparison& metric : comparison.metrics) {
    if (metric.id.kind != MetricKind::relative || metric.id.flavor != Flavor::ft ||
        !metric.gating || metric.verdict != Verdict::regression)
      continue;
    print_stderr(
        fmt::format("gilguard: sampling where the threads' time went at {} threads (perf)\n",
                    metric.id.threads));
    auto outcome = measure::sample_functions(request.ft_python, request.workload,
                                             result.parameters.range, metric.id.threads);
    metric.functions = std::move(outcome.functions);
    metric.sampling = std::move(outcome.note);
  }
}

std::optional<std::filesystem::path> optional_path(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return std::filesystem::path(text);
}

ExitCode run_check(const CheckOptions& options) {
  const auto env = util::current_environment();
  const bool in_actions = github::in_actions(env);
  const auto comment_mode = github::parse_comment_mode(options.comment);
  if (!comment_mode) {
    throw usage_error(fmt::format("--comment {}: pass auto, always or never", options.comment));
  }
  // Validate every option before minutes of measuring.
  auto request = to_run_request(options.run);
  const bool sized = workload::make_workload(request.workload)->sizes_range();
  if (request.is_ab()) {
    if (options.run.range.empty() && !sized) request.range = k_default_ab_range;
    if (options.run.rounds.empty() && options.run.time_budget.empty())
      request.time_budget = k_default_ab_budget;
  }
  (void)to_compare_options(options.compare, MachineFacts{}, request.workload.label());
  value_or_throw(util::check_output_path(options.results), "--results");
  value_or_throw(util::check_output_path(options.comparison), "--comparison");

  const auto pair = value_or_throw(
      python::find_interpreters(optional_path(options.run.gil), optional_path(options.run.ft), env),
      "finding the interpreters");
  print_stderr(
      fmt::format("gilguard: GIL interpreter {}\ngilguard: free-threaded interpreter {}\n"
                  "gilguard: (found in {})\n",
                  pair.gil.string(), pair.ft.string(), pair.origin));
  request.source_commit = source_commit_of(env);
  request.gil_python = pair.gil;
  request.ft_python = pair.ft;

  const auto gil = value_or_throw(python::probe(pair.gil),
                                  fmt::format("probing the GIL interpreter {}", pair.gil.string()));
  const auto ft =
      value_or_throw(python::probe(pair.ft),
                     fmt::format("probing the free-threaded interpreter {}", pair.ft.string()));

  // The stopping rule compares with the baseline after each round, so load it first; its key
  // needs only the machine, the interpreters and the workload. An A/B run compares with its
  // base instead, measured in the same rounds.
  RunResult plan;
  plan.machine = measure::current_machine();
  plan.gil = gil;
  plan.ft = ft;
  measure::record_workload(request, plan.parameters);
  const auto base = measure::probe_base(request);
  if (base) {
    plan.base_gil = base->gil;
    plan.base_ft = base->ft;
    print_stderr(fmt::format(
        "gilguard: A/B against base {} (GIL {}, free-threaded {}), in the same rounds; stored "
        "baselines are not used\n",
        request.base_label, request.base_gil_python.string(), request.base_ft_python.string()));
  }
  const auto loaded = load_baseline(plan, options.compare);
  const auto& history = loaded.history;
  const auto compare_options =
      to_compare_options(options.compare, plan.machine, plan.parameters.workload);
  const auto ab_options = to_ab_options(options.compare, plan.machine, plan.parameters.workload);
  if (!base)
    print_stderr(fmt::format("gilguard: baseline {} ({} runs)\n", loaded.key, history.size()));
  print_stderr(fmt::format("gilguard: workload {}{}\n", request.workload.label(),
                           request.range == 0 ? ", range sized in the warm-up" : ""));

  warn_about_gil_override(env);
  measure::RunHooks hooks;
  hooks.progress = print_progress;
  hooks.imported = print_import;
  if (request.time_budget > 0) {
    hooks.decided = [&history, &compare_options, &ab_options,
                     ab = base.has_value()](const std::vector<Sample>& samples) {
      // A failed check (a crash, a timeout, the GIL on in the free-threaded build) decides the
      // verdict by itself; more rounds would only spend the budget.
      if (!measure::check_samples(samples, std::nullopt).empty()) return true;
      if (ab) return stats::may_stop_ab(samples, ab_options);
      return stats::may_stop(samples, history, compare_options);
    };
  }
  auto result = measure::run_in_processes(request, gil, ft, base, env, hooks);
  value_or_throw(util::write_output_file(options.results, baseline::results_to_json_text(result)),
                 fmt::format("writing the results to {}", options.results));

  // The baseline was loaded before the run (for the stopping rule); compare with that one.
  auto comparison = compare_run(result, options.compare, loaded);
  if (options.sample_functions && !base) sample_regressions(comparison, request, result);
  value_or_throw(
      util::write_output_file(options.comparison, baseline::comparison_to_json_text(comparison)),
      fmt::format("writing the comparison to {}", options.comparison));

  if (in_actions) {
    github::PublishOptions publish;
    publish.links.results_path = options.results;
    publish.links.comparison_path = options.comparison;
    publish.links.baselines_dir = options.compare.baselines_dir;
    publish.comment = *comment_mode;
    publish.token = options.github_token.empty() ? util::github_token() : options.github_token;
    github::publish(comparison, &result, publish, env, std::cout, std::cerr);
  } else {
    fmt::print("{}", terminal_report(comparison, &result, options.results, options.comparison,
                                     options.compare.baselines_dir));
  }
  const auto code = exit_code_for(comparison);
  if (code == ExitCode::regression && comparison.failed_checks.empty() &&
      !options.fail_on_regression) {
    fmt::print(stderr, "gilguard: regression reported, not failing (--fail-on-regression false)\n");
    return ExitCode::ok;
  }
  return code;
}

// `gilguard check` of every benchmark --workload names (benchmarks_of): each measured, compared
// and reported in turn as its own workload, with its own results and comparison files (named
// after the benchmark when there are several); the exit code is the worst.
ExitCode run_checks(const CheckOptions& options) {
  const auto benchmarks = benchmarks_of(options.run.workload);
  auto worst = ExitCode::ok;
  for (const auto& benchmark : benchmarks) {
    auto one = options;
    one.run.workload = benchmark.workload;
    one.results = path_for_benchmark(options.results, benchmark.name);
    one.comparison = path_for_benchmark(options.comparison, benchmark.name);
    if (!benchmark.name.empty())
      print_stderr(fmt::format("gilguard: benchmark {} of {}: results to {}, comparison to {}\n",
                               benchmark.name, options.run.workload, one.results, one.comparison));
    worst = std::max(worst, run_check(one));
  }
  return worst;
}

}  // namespace

void add_check_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "check",
      "Run the benchmark, compare with the baseline and report: the action's step. With no\n"
      "options it finds both interpreters (--gil/--ft, then GILGUARD_PYTHON_GIL/_FT, then\n"
      "python3.X/python3.Xt pairs on PATH, then builds in gilguard's cache), runs the prime\n"
      "workload (or --workload) until the verdict is decided or the time budget is spent,\n"
      "and compares with ./baselines. Inside GitHub Actions (GITHUB_ACTIONS=true) it also\n"
      "writes annotations, the job summary, step outputs and a sticky PR comment. With\n"
      "--base-gil/--base-ft it is an A/B check: the base pair runs in the same rounds, next to\n"
      "the head, and each metric is judged from head/base ratios paired within rounds (no\n"
      "stored baseline; defaults: range 30,000, time budget 180 s, threshold 2%). A --workload\n"
      "file of several bench_* functions checks each in turn, each with its own results and\n"
      "comparison files (FILE.json -> FILE.bench_name.json) and baseline key; the exit code is\n"
      "the worst. Exit 0 no regression, 1 regression or failed check, 2 usage or tool error.");
  auto options = std::make_shared<CheckOptions>();
  add_run_options(*sub, options->run, false);
  add_compare_options(*sub, options->compare);
  sub->add_option("--results", options->results, "Where to write the results JSON")
      ->type_name("FILE")
      ->capture_default_str();
  sub->add_option("--comparison", options->comparison, "Where to write the comparison JSON")
      ->type_name("FILE")
      ->capture_default_str();
  sub->add_option("--comment", options->comment,
                  "Sticky PR comment inside GitHub Actions: auto (edit ours if it exists, create "
                  "one only when there is something to say), always or never")
      ->type_name("auto|always|never")
      ->capture_default_str();
  sub->add_option("--github-token", options->github_token,
                  "Token for the PR comment (default: GITHUB_TOKEN); never printed or passed on")
      ->type_name("TOKEN");
  sub->add_option("--fail-on-regression", options->fail_on_regression,
                  "Exit 1 on a regression (failed checks always exit 1)")
      ->type_name("BOOL")
      ->capture_default_str();
  sub->add_option("--sample-functions", options->sample_functions,
                  "After a regression of the free-threaded speedup against processes, sample a "
                  "few more children under perf and name the functions whose share grew in the "
                  "threads (not part of the measured rounds)")
      ->type_name("BOOL")
      ->capture_default_str();
  sub->callback([&action, options] { action = [options] { return run_checks(*options); }; });
}

}  // namespace gilguard::cli
