#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>

#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/cli/commands.hpp"
#include "gilguard/cli/print.hpp"
#include "gilguard/cli/run_options.hpp"
#include "gilguard/git/repository.hpp"
#include "gilguard/python/imports.hpp"
#include "gilguard/report/imports.hpp"
#include "gilguard/report/run_table.hpp"
#include "gilguard/util/files.hpp"
#include "gilguard/workload/harness.hpp"
#include "gilguard/workload/primes.hpp"
#include "gilguard/workload/spec.hpp"
#include "gilguard/workload/workload.hpp"

namespace gilguard::cli {
namespace {

constexpr const char* k_default_output = "gilguard-results.json";
constexpr int k_max_rounds = 10'000;
constexpr double k_max_time_budget = 86'400;

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

// A whole number in [min, max], or nullopt.
template <typename T>
std::optional<T> parse_integer(std::string_view text, T min, T max) {
  const auto trimmed = trim(text);
  T value{};
  const auto* end = trimmed.data() + trimmed.size();
  const auto [ptr, ec] = std::from_chars(trimmed.data(), end, value);
  if (trimmed.empty() || ec != std::errc{} || ptr != end || value < min || value > max)
    return std::nullopt;
  return value;
}

std::vector<int> parse_threads(const std::string& text) {
  if (trim(text) == "auto") return {};
  std::vector<int> counts;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    const auto item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto count = parse_integer<int>(item, 1, measure::k_max_threads);
    if (!count)
      throw usage_error(fmt::format(
          "--threads {}: '{}' is not a thread count from 1 to {}; pass a comma-separated list "
          "such as --threads 1,2,4, or --threads auto (1, the powers of two up to the usable "
          "CPUs, and the usable CPU count)",
          text, trim(item), measure::k_max_threads));
    counts.push_back(*count);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return counts;
}

}  // namespace

void add_run_options(CLI::App& command, RunOptions& options, bool interpreters_required) {
  auto* gil = command.add_option("--gil", options.gil,
                                 "The standard CPython build (with the GIL): a path, or a name "
                                 "looked up on PATH such as python3.13");
  auto* ft = command.add_option("--ft", options.ft,
                                "The free-threaded CPython build (--disable-gil): a path, or a "
                                "name looked up on PATH such as python3.13t");
  gil->type_name("PY");
  ft->type_name("PY");
  if (interpreters_required) {
    gil->required();
    ft->required();
  }
  command
      .add_option("--threads", options.threads,
                  "Thread counts to measure: a comma-separated list such as 1,2,4, or 'auto' for "
                  "1, the powers of two up to the usable CPUs, and the usable CPU count. Counts "
                  "above the usable CPUs are measured but never gated")
      ->type_name("LIST|auto")
      ->capture_default_str();
  command
      .add_option("--range", options.range,
                  fmt::format("Count the primes in [1, N) (default {}; {} to {}); with --workload, "
                              "call the function for every index in [0, N) (default: sized in the "
                              "warm-up so that the sequential run takes about {:g} s, {} indices "
                              "at least)",
                              options.default_range, measure::k_min_range, measure::k_max_range,
                              workload::k_target_seconds, workload::k_min_sized_range))
      ->type_name("N");
  command
      .add_option(
          "--workload", options.workload,
          fmt::format("What to measure: primes (the prime count), builtin:NAME (one of {}), "
                      "or FILE.py[:FUNCTION] (default function {}), a function of the "
                      "file that takes an index and returns a value, called for every "
                      "index sequentially and split over the threads; both results must "
                      "agree. Packages it imports must be installed in the interpreters "
                      "(or venvs) given: children run isolated (-I)",
                      fmt::join(workload::builtin_names(), ", "), workload::k_default_function))
      ->type_name("SPEC")
      ->capture_default_str();
  command
      .add_option("--rounds", options.rounds,
                  options.default_time_budget > 0
                      ? std::string("Measured rounds after the warm-up round (default: as many "
                                    "as --time-budget allows); each round runs every cell once "
                                    "in a fresh random order")
                      : fmt::format("Measured rounds after the warm-up round (default {}); each "
                                    "round runs every cell once in a fresh random order",
                                    measure::k_default_rounds))
      ->type_name("N");
  command
      .add_option("--time-budget", options.time_budget,
                  fmt::format("Instead of --rounds: keep adding rounds while the next one is "
                              "expected to end within this many seconds from the start (warm-up "
                              "included; at least one measured round){}",
                              options.default_time_budget > 0
                                  ? fmt::format(" (default {:g})", options.default_time_budget)
                                  : std::string()))
      ->type_name("SEC");
  command
      .add_option("--seed", options.seed,
                  "Seed of the random round orders (default: random; always recorded in the "
                  "results, so a run can be repeated in the same order)")
      ->type_name("S");
  command
      .add_option("--import", options.imports,
                  "A module (repeatable, or a comma-separated list) imported first in a fresh "
                  "free-threaded process, one per module, to check that it keeps the GIL "
                  "disabled, then in every free-threaded child before timing. It must be "
                  "installed in the --ft interpreter (or venv): children run isolated (-I), "
                  "without PYTHONPATH or the user site-packages")
      ->type_name("MODULE");
  command
      .add_option("--base-gil", options.base_gil,
                  "A/B: the base's GIL build, measured in the same rounds as --gil (pass "
                  "--base-ft too); the verdict then compares head with base, not a baseline")
      ->type_name("PY");
  command
      .add_option("--base-ft", options.base_ft,
                  "A/B: the base's free-threaded build, measured in the same rounds as --ft")
      ->type_name("PY");
  command
      .add_option("--base-label", options.base_label,
                  "A/B: what reports call the base, such as its commit (default: the --base-ft "
                  "path)")
      ->type_name("TEXT");
  command
      .add_option("--repeats", options.repeats,
                  "A/B: each child alternates its sequential and threaded regions this many times "
                  "and reports their means (default 1)")
      ->type_name("N");
}

measure::RunRequest to_run_request(const RunOptions& options) {
  measure::RunRequest request;
  request.gil_python = options.gil;
  request.ft_python = options.ft;
  request.threads = parse_threads(options.threads);
  auto workload =
      value_or_throw(workload::resolve_workload(workload::parse_workload(options.workload),
                                                git::work_tree_containing),
                     "");
  if (!workload.benchmarks.empty())
    throw usage_error(fmt::format(
        "--workload {}: the file has several benchmarks ({}); pass FILE.py:NAME for one",
        options.workload, fmt::join(workload.benchmarks, ", ")));
  request.workload = std::move(workload.spec);
  request.workload_digest = std::move(workload.digest);
  const auto described = workload::make_workload(request.workload);
  const bool sized = described->sizes_range();
  request.range = sized ? 0 : options.default_range;
  if (!options.range.empty()) {
    const auto range =
        parse_integer<std::int64_t>(options.range, measure::k_min_range, measure::k_max_range);
    if (!range)
      throw usage_error(
          !sized ? fmt::format("--range {}: pass a whole number from {} to {} (primes are counted "
                               "in [1, N); the default is {})",
                               options.range, measure::k_min_range, measure::k_max_range,
                               options.default_range)
                 : fmt::format("--range {}: pass a whole number from {} to {} (the function of "
                               "--workload {} is called for every index in [0, N)), or leave it "
                               "out to size the range in the warm-up",
                               options.range, measure::k_min_range, measure::k_max_range,
                               options.workload));
    request.range = *range;
  }
  if (!options.rounds.empty() && !options.time_budget.empty())
    throw usage_error(
        "--rounds and --time-budget were both given: pass one of them (a fixed number of "
        "measured rounds, or seconds for the whole run)");
  if (!options.rounds.empty()) {
    const auto rounds = parse_integer<int>(options.rounds, 1, k_max_rounds);
    if (!rounds)
      throw usage_error(fmt::format(
          "--rounds {}: pass a whole number of measured rounds from 1 to {} (the default is {})",
          options.rounds, k_max_rounds, measure::k_default_rounds));
    request.rounds = *rounds;
  }
  if (!options.time_budget.empty()) {
    double seconds = 0;
    const auto text = trim(options.time_budget);
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() ||
        !std::isfinite(seconds) || seconds <= 0 || seconds > k_max_time_budget)
      throw usage_error(fmt::format(
          "--time-budget {}: pass a number of seconds greater than 0 and at most {:.0f}, such as "
          "--time-budget 120",
          options.time_budget, k_max_time_budget));
    request.time_budget = seconds;
  }
  if (!options.seed.empty()) {
    const auto seed = parse_integer<std::uint64_t>(options.seed, 0, UINT64_MAX);
    if (!seed)
      throw usage_error(fmt::format(
          "--seed {}: pass a whole number from 0 to {} (or leave it out for a random seed)",
          options.seed, UINT64_MAX));
    request.seed = *seed;
  }
  if (request.rounds == 0 && request.time_budget == 0)
    request.time_budget = options.default_time_budget;
  request.imports = python::parse_import_list(options.imports);
  if (options.base_gil.empty() != options.base_ft.empty())
    throw usage_error(fmt::format(
        "only --base-{} was given: an A/B run needs the base's pair, so pass both --base-gil "
        "and --base-ft (or neither, to compare with the stored baseline)",
        options.base_gil.empty() ? "ft" : "gil"));
  if (!options.base_label.empty() && options.base_gil.empty())
    throw usage_error(
        "--base-label names the base of an A/B run: pass --base-gil and --base-ft "
        "too, or leave --base-label out");
  if (!options.repeats.empty()) {
    const auto repeats = parse_integer<int>(options.repeats, 1, measure::k_max_repeats);
    if (!repeats)
      throw usage_error(fmt::format("--repeats {}: pass a whole number from 1 to {}",
                                    options.repeats, measure::k_max_repeats));
    if (*repeats > 1 && !described->repeats_regions())
      throw usage_error(
          fmt::format("--repeats is for the prime workload only: leave it out with --workload {}",
                      options.workload));
    if (*repeats > 1 && options.base_gil.empty())
      throw usage_error(
          "--repeats changes what one child measures, so stored baselines could not be compared "
          "with it: use it in A/B runs only (with --base-gil and --base-ft)");
    request.repeats = *repeats;
  }
  request.base_gil_python = options.base_gil;
  request.base_ft_python = options.base_ft;
  request.base_label = options.base_label.empty() ? options.base_ft : options.base_label;
  return request;
}

std::vector<Benchmark> benchmarks_of(const std::string& workload) {
  const auto spec = workload::parse_workload(workload);
  const auto resolved =
      value_or_throw(workload::resolve_workload(spec, git::work_tree_containing), "");
  if (resolved.benchmarks.empty()) return {{workload, ""}};
  std::vector<Benchmark> out;
  for (const auto& name : resolved.benchmarks)
    out.push_back({fmt::format("{}:{}{}", spec.file.string(), name,
                               spec.params.empty() ? "" : "[" + spec.params + "]"),
                   name});
  return out;
}

std::string path_for_benchmark(const std::string& path, const std::string& name) {
  if (name.empty()) return path;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && (std::filesystem::is_character_file(status) || std::filesystem::is_fifo(status)))
    return path;
  const std::filesystem::path given(path);
  auto renamed = given;
  renamed.replace_filename(given.stem().string() + "." + name + given.extension().string());
  return renamed.string();
}

std::string source_commit_of(const util::Environment& env) {
  if (const auto sha = env.find("GITHUB_SHA"); sha != env.end() && !sha->second.empty())
    return sha->second;
  std::error_code ec;
  const auto here = std::filesystem::current_path(ec);
  if (ec) return {};
  return git::head_commit_containing(here).value_or("");
}

void print_progress(const measure::RoundProgress& progress) {
  std::string left;
  if (progress.seconds_left) left = fmt::format(", ~{:.0f} s left", *progress.seconds_left);
  if (progress.round == 0)
    fmt::print(stderr, "gilguard: warm-up round (not measured){}\n", left);
  else if (progress.planned_rounds > 0)
    fmt::print(stderr, "gilguard: round {} of {}{}\n", progress.round, progress.planned_rounds,
               left);
  else
    fmt::print(stderr, "gilguard: round {} (time budget {:.0f} s){}\n", progress.round,
               progress.time_budget, left);
}

void print_import(const ImportCheck& check) {
  print_stderr(
      fmt::format("gilguard: --import {}: {}\n", check.module, report::import_outcome(check)));
  if (!check.gil_flag.empty())
    print_stderr(fmt::format(
        "gilguard: warning: sys.flags.gil is {} in the free-threaded interpreter (PYTHON_GIL or "
        "-X gil): CPython neither warns about nor switches on the GIL for a module that needs "
        "it, so --import {} could not be checked; unset PYTHON_GIL\n",
        check.gil_flag, check.module));
}

void warn_about_gil_override(const util::Environment& env) {
  const auto it = env.find("PYTHON_GIL");
  if (it == env.end()) return;
  print_stderr(fmt::format(
      "gilguard: warning: PYTHON_GIL={} is set and passed on to the free-threaded children as "
      "-X gil={}: CPython then neither warns about nor switches on the GIL for a module that "
      "needs it, so no such module can be named; unset PYTHON_GIL to check them\n",
      it->second, it->second));
}

namespace {

// `gilguard run` of one workload, its results written to `output`.
ExitCode run_one(const RunOptions& options, const std::string& output) {
  auto request = to_run_request(options);
  value_or_throw(util::check_output_path(output), "--output");
  request.source_commit = source_commit_of(util::current_environment());
  warn_about_gil_override(util::current_environment());
  measure::RunHooks hooks;
  hooks.progress = print_progress;
  hooks.imported = print_import;
  const auto result = measure::run_benchmark(request, hooks);

  value_or_throw(util::write_output_file(output, baseline::results_to_json_text(result)),
                 fmt::format("writing the results to {}", output));
  report::RunTableOptions table;
  // The split's bound, where the workload knows it (the prime workload's trial divisions).
  const auto described = workload::make_workload(request.workload);
  for (const int t : result.parameters.threads)
    if (const auto bound = described->split_bound(result.parameters.range, t))
      table.split_bound[t] = *bound;
  print_defused(stdout, report::render_run_table(result, table));
  print_stderr(fmt::format("gilguard: results written to {}\n", output));
  if (result.failures.empty()) return ExitCode::ok;
  for (const auto& failure : result.failures)
    print_stderr(fmt::format("gilguard: check failed: {}\n", failure.message));
  return ExitCode::regression;
}

}  // namespace

void add_run_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "run",
      "Run the prime-counting benchmark (or --workload) on a GIL and a free-threaded\n"
      "interpreter: a warm-up round, then rounds that run every (interpreter, thread count)\n"
      "cell once in a fresh process, in a fresh random order. Writes the results JSON, prints\n"
      "a table on stdout and progress on stderr. Exit 1 when a check fails (wrong prime count\n"
      "or workload result, crashed or hung child, GIL enabled in the free-threaded run,\n"
      "interpreters of the wrong kind); the results are written anyway. Exit 2 for bad options.\n"
      "A --workload file of several bench_* functions runs each in turn, each with its own\n"
      "results file (FILE.json -> FILE.bench_name.json); the exit code is the worst.");
  auto options = std::make_shared<RunOptions>();
  auto output = std::make_shared<std::string>(k_default_output);
  add_run_options(*sub, *options, true);
  sub->add_option("--output", *output,
                  "Where to write the results JSON (a file is replaced atomically; a character "
                  "device or FIFO is written in place)")
      ->type_name("FILE")
      ->capture_default_str();
  sub->callback([&action, options, output] {
    action = [options, output]() -> ExitCode {
      // A file of several benchmarks: each measured in turn, with its own results file.
      const auto benchmarks = benchmarks_of(options->workload);
      auto worst = ExitCode::ok;
      for (const auto& benchmark : benchmarks) {
        auto one = *options;
        one.workload = benchmark.workload;
        const auto path = path_for_benchmark(*output, benchmark.name);
        if (!benchmark.name.empty())
          print_stderr(fmt::format("gilguard: benchmark {} of {}: results to {}\n", benchmark.name,
                                   options->workload, path));
        worst = std::max(worst, run_one(one, path));
      }
      return worst;
    };
  });
}

}  // namespace gilguard::cli
