#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "gilguard/baseline/key.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/baseline/show.hpp"
#include "gilguard/baseline/store.hpp"
#include "gilguard/baseline/update.hpp"
#include "gilguard/cli/commands.hpp"
#include "gilguard/cli/print.hpp"
#include "gilguard/git/commit.hpp"
#include "gilguard/github/context.hpp"
#include "gilguard/measure/recheck.hpp"
#include "gilguard/report/annotations.hpp"
#include "gilguard/report/drift.hpp"
#include "gilguard/stats/drift.hpp"
#include "gilguard/util/files.hpp"
#include "gilguard/util/process.hpp"

namespace gilguard::cli {
namespace {

constexpr const char* k_default_baselines = "baselines";
constexpr int k_max_max_runs = 1000;

struct UpdateOptions {
  std::string results;
  std::string baselines = k_default_baselines;
  std::string key;
  std::string max_runs;
  bool reset = false;
  bool commit = false;
};

int parse_max_runs(const std::string& text) {
  if (text.empty()) return baseline::k_default_max_runs;
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || value < 1 || value > k_max_max_runs)
    throw usage_error(fmt::format(
        "--max-runs {}: pass a whole number from 1 to {} (how many runs the baseline keeps, "
        "newest last; the default is {})",
        text, k_max_max_runs, baseline::k_default_max_runs));
  return value;
}

RunResult read_results(const std::string& path) {
  auto text = util::read_json_file(path);
  if (!text)
    throw usage_error(fmt::format(
        "{}; pass the results file that 'gilguard run --output FILE' or 'gilguard check' wrote",
        text.error().message));
  auto results = baseline::results_from_json_text(*text);
  if (!results)
    throw usage_error(fmt::format("results file {}: {}", path, results.error().message));
  if (results->is_ab())
    throw usage_error(fmt::format(
        "results file {} is an A/B run (head against base {}): a baseline keeps runs of one "
        "interpreter pair; record it with 'gilguard run --gil PY --ft PY', without --base-gil and "
        "--base-ft",
        path, results->base_label));
  return std::move(*results);
}

// The failed checks a results file records or its samples show, as one message line each.
std::string failure_list(const std::vector<CheckFailure>& failures) {
  std::string list;
  for (const auto& failure : failures)
    list += fmt::format("\n  {}: {}", failure.kind, failure.message);
  return list;
}

// Commits the baseline file `written` when --commit asks for it.
void commit_baseline(const UpdateOptions& options, const std::filesystem::path& written,
                     const std::string& message) {
  git::CommitRequest request;
  request.start = options.baselines;
  request.files = {written};
  request.message = message;
  request.env = util::current_environment();
  const auto outcome = value_or_throw(
      git::commit_files(request),
      fmt::format("committing {} (the baseline file itself was written)", written.string()));
  if (outcome.created) {
    print_stderr(fmt::format("gilguard: committed {} as {} <{}>; push it with 'git push'\n",
                             outcome.commit_id.substr(0, 12), outcome.committer.name,
                             outcome.committer.email));
  } else {
    print_stderr(fmt::format("gilguard: {} already matches HEAD {}; nothing to commit\n",
                             written.string(), outcome.commit_id.substr(0, 12)));
  }
}

// Says when the runs the baseline now keeps have drifted (stats::baseline_drift): a line on
// stderr for each metric and, inside GitHub Actions, a warning annotation.
void warn_of_drift(const baseline::Baseline& updated) {
  const auto drifts = stats::baseline_drift(updated.summaries());
  if (drifts.empty()) return;
  std::vector<report::Finding> findings;
  for (const auto& drift : drifts) {
    print_stderr("gilguard: warning: " + report::drift_message(drift) + "\n");
    findings.push_back(report::drift_finding(drift));
  }
  if (github::in_actions(util::current_environment())) {
    report::rank_findings(findings);
    std::fputs(report::render_annotations(findings).c_str(), stdout);
    std::fflush(stdout);
  }
}

ExitCode run_update(const UpdateOptions& options) {
  const int max_runs = parse_max_runs(options.max_runs);
  if (!options.key.empty()) {
    if (auto valid = baseline::validate_key(options.key); !valid)
      throw usage_error(fmt::format("--baseline-key: {}", valid.error().message));
  }
  const RunResult results = read_results(options.results);
  if (auto valid = measure::validate_results(results); !valid)
    throw usage_error(fmt::format("results file {}: {} (nothing was written)", options.results,
                                  valid.error().message));
  // Derived again from the samples: the file may have been edited since its run.
  const auto failures = measure::recheck_failures(results);
  if (!failures.empty()) {
    throw usage_error(fmt::format(
        "results file {} records {} failed check{}; a baseline must come from a run without "
        "failures, so nothing was written. Fix the cause and record a new run:{}",
        options.results, failures.size(), failures.size() == 1 ? "" : "s", failure_list(failures)));
  }
  baseline::BaselineEntry entry = baseline::entry_from_results(results);
  if (entry.summary.metrics.empty())
    throw usage_error(fmt::format(
        "results file {} has no measured round with successful samples, so there is nothing "
        "to record; run 'gilguard run' with at least one round and try again",
        options.results));

  const std::filesystem::path dir = options.baselines;
  const std::string key = options.key.empty() ? baseline::derive_key(results) : options.key;
  const auto path = baseline::baseline_path(dir, key);
  if (options.commit) {
    git::CommitRequest request;
    request.start = dir;
    request.files = {path};
    value_or_throw(git::check_can_commit(request),
                   fmt::format("--commit (nothing was written to {})", path.string()));
  }
  std::optional<baseline::Baseline> existing;
  if (!options.reset) {
    auto loaded = baseline::load(dir, key);
    if (!loaded) throw usage_error(loaded.error().message + " (nothing was written)");
    existing = std::move(*loaded);
    if (existing) {
      if (auto match = baseline::check_results_match(*existing, results); !match)
        throw usage_error(fmt::format("baseline file {}: {} (nothing was written)", path.string(),
                                      match.error().message));
    }
  }

  const Provenance source = entry.summary.provenance;
  if (existing && baseline::holds_run(*existing, entry)) {
    print_stderr(
        fmt::format("gilguard: {} already holds the run in {} (started {}); nothing was added\n",
                    path.string(), options.results, source.date));
    if (options.commit)
      commit_baseline(options, path,
                      baseline::commit_message(*existing, source, false, {path.string()}));
    return ExitCode::ok;
  }
  const baseline::Baseline updated =
      baseline::add_run(std::move(existing), key, baseline::workload_of(results), std::move(entry),
                        max_runs, options.reset);
  const auto written =
      value_or_throw(baseline::save(dir, updated),
                     fmt::format("adding the run in {} to the baseline", options.results));
  print_stderr(fmt::format("gilguard: {} {}: key {}, {} run{} kept (at most {})\n",
                           options.reset ? "reset" : "updated", written.string(), key,
                           updated.runs.size(), updated.runs.size() == 1 ? "" : "s", max_runs));
  warn_of_drift(updated);
  if (options.commit)
    commit_baseline(options, written,
                    baseline::commit_message(updated, source, options.reset, {written.string()}));
  return ExitCode::ok;
}

void add_update_command(CLI::App& parent, Action& action) {
  auto* sub = parent.add_subcommand(
      "update",
      "Add the run in a results file to its baseline (the newest run last, the oldest dropped\n"
      "beyond --max-runs), written atomically to <baselines>/<key>.json. The key names the\n"
      "runner class and workload, e.g. linux-x86_64-cpu2-py3.13-primes-r1000000. A results file\n"
      "with failed checks, or a baseline file that is damaged, from a newer gilguard or for\n"
      "another workload, is refused (exit 2) and nothing is written.");
  auto options = std::make_shared<UpdateOptions>();
  sub->add_option("results", options->results,
                  "The results JSON written by 'gilguard run --output' or 'gilguard check'")
      ->required();
  sub->add_option("--baselines", options->baselines,
                  "Directory of the baseline files, created when missing")
      ->capture_default_str();
  sub->add_option("--baseline-key", options->key,
                  "Use this key instead of the one derived from the results (a runner label, "
                  "say): 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or "
                  "digit");
  sub->add_option("--max-runs", options->max_runs,
                  fmt::format("How many runs the baseline keeps, 1 to {} (default {})",
                              k_max_max_runs, baseline::k_default_max_runs));
  sub->add_flag("--reset", options->reset,
                "Replace all the runs in the baseline with this one (also replaces a baseline "
                "file that cannot be read)");
  sub->add_flag("--commit", options->commit,
                "Commit the changed baseline file with git (only that file; other staged changes "
                "stay staged). Author and committer from GIT_AUTHOR_NAME/EMAIL and "
                "GIT_COMMITTER_NAME/EMAIL, else git config user.name/email, else gilguard-bot "
                "<gilguard-bot@users.noreply.github.com>. Works in shallow clones; push "
                "afterwards");
  sub->callback(
      [&action, options] { action = [options]() -> ExitCode { return run_update(*options); }; });
}

void add_show_command(CLI::App& parent, Action& action) {
  auto* sub = parent.add_subcommand(
      "show",
      "List every baseline with its runs: date, source commit, gilguard version, the\n"
      "free-threaded and GIL speedups per thread count and the free-threaded overhead.");
  auto dir = std::make_shared<std::string>(k_default_baselines);
  sub->add_option("--baselines", *dir, "Directory of the baseline files")->capture_default_str();
  sub->callback([&action, dir] {
    action = [dir]() -> ExitCode {
      const auto all = value_or_throw(baseline::list(*dir), "");
      print_defused(stdout, baseline::format_baselines(all, *dir));
      return ExitCode::ok;
    };
  });
}

}  // namespace

void add_baseline_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "baseline",
      "Record runs as baselines (update) and list them (show); see 'baseline update "
      "--help'");
  sub->require_subcommand(1);
  add_update_command(*sub, action);
  add_show_command(*sub, action);
}

}  // namespace gilguard::cli
