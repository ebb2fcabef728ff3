#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "gilguard/baseline/comparison_codec.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/cli/commands.hpp"
#include "gilguard/cli/print.hpp"
#include "gilguard/report/annotations.hpp"
#include "gilguard/report/findings.hpp"
#include "gilguard/report/summary.hpp"
#include "gilguard/report/text.hpp"
#include "gilguard/util/files.hpp"

namespace gilguard::cli {
namespace {

struct ReportOptions {
  std::string comparison;
  std::string format = "text";
  std::string results;
  std::string baselines;
  std::string run_url;
};

// Colour for a terminal: stdout is a TTY and NO_COLOR (https://no-color.org) is unset or empty.
bool use_colour() {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0');
}

ExitCode run_report(const ReportOptions& options) {
  const Comparison comparison =
      value_or_throw(baseline::read_comparison_file(options.comparison), "reading the comparison");
  std::optional<RunResult> run;
  if (!options.results.empty()) {
    const auto text = value_or_throw(util::read_json_file(options.results), "reading the results");
    run = value_or_throw(baseline::results_from_json_text(text), "reading " + options.results);
  }
  report::ReportLinks links;
  links.run_url = options.run_url;
  links.results_path = options.results;
  links.comparison_path = options.comparison;
  links.baselines_dir = options.baselines;
  if (links.baselines_dir.empty()) {
    const auto parent = std::filesystem::path(comparison.baseline_path).parent_path();
    links.baselines_dir = parent.empty() ? "baselines" : parent.string();
  }
  const RunResult* run_ptr = run ? &*run : nullptr;
  if (options.format == "text") {
    fmt::print("{}", report::render_text(comparison, run_ptr, links, use_colour()));
  } else if (options.format == "markdown") {
    print_defused(stdout, report::render_summary(comparison, run_ptr, links));
  } else if (options.format == "github") {
    fmt::print("{}", report::render_annotations(report::collect_findings(comparison, run_ptr)));
  } else {
    fmt::print("{}", baseline::comparison_to_json_text(comparison));
  }
  std::fflush(stdout);
  return ExitCode::ok;
}

}  // namespace

void add_report_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "report",
      "Render a saved comparison (the JSON of 'gilguard compare --output'). Formats: text (for a\n"
      "terminal; colour only on a TTY without NO_COLOR), markdown (the job summary: verdict,\n"
      "table, chart, environment, how to update the baseline), github (::error/::warning/\n"
      "::notice annotations, ranked, at most 10 of each) and json (the comparison, normalized).\n"
      "Exit 0 whatever the verdict: the verdict decides the exit code of 'compare' and 'check'.");
  auto options = std::make_shared<ReportOptions>();
  sub->add_option("comparison", options->comparison, "The comparison JSON file")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--format", options->format, "text, markdown, github or json")
      ->check(CLI::IsMember({"text", "markdown", "github", "json"}))
      ->capture_default_str();
  sub->add_option("--results", options->results,
                  "The run's results JSON: adds the environment, per-cell details and warnings "
                  "about the machine (too few CPUs, load)")
      ->check(CLI::ExistingFile);
  sub->add_option("--baselines", options->baselines,
                  "Baselines directory named in the update command (default: the directory of "
                  "the comparison's baseline file, else ./baselines)");
  sub->add_option("--run-url", options->run_url,
                  "Link to the workflow run, used where the report points to the full summary");
  sub->callback([&action, options] { action = [options] { return run_report(*options); }; });
}

}  // namespace gilguard::cli
