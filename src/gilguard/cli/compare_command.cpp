#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>

#include "gilguard/baseline/comparison_codec.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/cli/commands.hpp"
#include "gilguard/cli/compare_flow.hpp"
#include "gilguard/measure/recheck.hpp"
#include "gilguard/util/files.hpp"

namespace gilguard::cli {
namespace {

struct CompareCommandOptions {
  std::string results;
  std::string output = "gilguard-comparison.json";
  CompareSettings settings;
};

}  // namespace

void add_compare_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "compare",
      "Compare a results file (from 'gilguard run') with the baseline for its key: a verdict\n"
      "per metric and overall. Writes the comparison JSON and prints a report. Exit 1 for a\n"
      "regression or a failed check in the results, 0 otherwise (no baseline included).");
  auto options = std::make_shared<CompareCommandOptions>();
  sub->add_option("RESULTS", options->results, "Results JSON written by 'gilguard run'")
      ->required()
      ->type_name("RESULTS");
  add_compare_options(*sub, options->settings);
  sub->add_option("--output", options->output, "Where to write the comparison JSON")
      ->type_name("FILE")
      ->capture_default_str();
  sub->callback([&action, options] {
    action = [options]() -> ExitCode {
      const auto text = value_or_throw(util::read_json_file(options->results),
                                       fmt::format("reading results {}", options->results));
      const auto run = value_or_throw(
          baseline::results_from_json_text(text),
          fmt::format("results file {} (write it with 'gilguard run')", options->results));
      value_or_throw(measure::validate_results(run),
                     fmt::format("results file {}", options->results));
      const auto comparison = compare_run(run, options->settings);
      value_or_throw(
          util::write_output_file(options->output, baseline::comparison_to_json_text(comparison)),
          fmt::format("writing the comparison to {}", options->output));
      fmt::print("{}", terminal_report(comparison, &run, options->results, options->output,
                                       options->settings.baselines_dir));
      return exit_code_for(comparison);
    };
  });
}

}  // namespace gilguard::cli
