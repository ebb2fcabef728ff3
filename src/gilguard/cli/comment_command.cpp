#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "gilguard/baseline/comparison_codec.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/cli/commands.hpp"
#include "gilguard/cli/print.hpp"
#include "gilguard/github/context.hpp"
#include "gilguard/github/http.hpp"
#include "gilguard/github/rest_client.hpp"
#include "gilguard/github/sticky_comment.hpp"
#include "gilguard/report/annotations.hpp"
#include "gilguard/report/comment.hpp"
#include "gilguard/util/files.hpp"
#include "gilguard/util/process.hpp"

namespace gilguard::cli {
namespace {

struct CommentOptions {
  std::string from;
  int pr = 0;
  std::string repo;
  std::string token;
  std::string api_url;
  std::string results;
  std::string run_url;
  std::string commit;
  std::string baselines = "baselines";
  std::string mode = "auto";
};

ExitCode run_comment(const CommentOptions& options) {
  const Comparison comparison =
      value_or_throw(baseline::read_comparison_file(options.from), "reading --from");
  std::optional<RunResult> run;
  if (!options.results.empty()) {
    const auto text = value_or_throw(util::read_json_file(options.results), "reading --results");
    run = value_or_throw(baseline::results_from_json_text(text), "reading " + options.results);
  }
  const auto env = util::current_environment();
  auto ctx = value_or_throw(
      github::read_context(
          env, options.token.empty() ? std::nullopt : std::optional<std::string>(options.token)),
      "reading the GitHub Actions environment");
  if (ctx.token.empty()) {
    throw usage_error(
        "no GitHub token: pass --github-token TOKEN or set GITHUB_TOKEN (the token "
        "needs 'pull-requests: write' or 'issues: write')");
  }
  // From here on the runner hides the token in the log.
  if (ctx.in_actions) fmt::print("{}\n", github::mask_command(ctx.token));
  std::fflush(stdout);

  const std::string repository = options.repo.empty() ? ctx.repository : options.repo;
  if (repository.empty()) {
    throw usage_error("no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY");
  }
  value_or_throw(github::check_repository(repository), "--repo");
  const std::string api_url =
      options.api_url.empty()
          ? ctx.api_url
          : value_or_throw(github::normalize_api_url(options.api_url), "--api-url");

  report::ReportLinks links;
  links.run_url = options.run_url.empty() ? ctx.run_url() : options.run_url;
  links.commit = options.commit;
  links.results_path = options.results;
  links.comparison_path = options.from;
  links.baselines_dir = options.baselines;
  const std::string body = report::render_comment(comparison, run ? &*run : nullptr, links);

  github::CurlTransport transport;
  github::RestClient client(transport, api_url, ctx.token);
  const auto outcome = github::post_sticky_comment(
      client, repository, options.pr, body, report::comment_marker(comparison.baseline_key),
      *github::parse_comment_mode(options.mode), report::worth_commenting(comparison));

  print_stderr(fmt::format("gilguard: {}\n", outcome.detail));
  using Action = github::CommentOutcome::Action;
  switch (outcome.action) {
    case Action::created:
    case Action::updated:
    case Action::unchanged:
      print_defused(stdout, outcome.url + "\n");
      return ExitCode::ok;
    case Action::skipped:
      return ExitCode::ok;
    case Action::denied:
      // A read-only token is expected on some events: say so, do not fail the job.
      if (ctx.in_actions) {
        fmt::print("{}\n",
                   report::workflow_command("notice", {{"title", "Pull request comment skipped"}},
                                            outcome.detail));
      }
      return ExitCode::ok;
    case Action::failed:
      break;
  }
  throw usage_error(outcome.detail);
}

}  // namespace

void add_comment_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "comment",
      "Create or update gilguard's one sticky comment on a pull request from a saved comparison.\n"
      "For the workflow_run companion that fork pull requests need (their own workflow gets a\n"
      "read-only token). Needs a token with pull-requests: write (--github-token or\n"
      "GITHUB_TOKEN). A 401/403/404 answer is reported as a notice and exits 0.");
  auto options = std::make_shared<CommentOptions>();
  sub->add_option("--from", options->from, "The comparison JSON file ('gilguard compare --output')")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--pr", options->pr, "The pull request number")
      ->required()
      ->check(CLI::Range(1, 1'000'000'000));
  sub->add_option("--repo", options->repo, "OWNER/NAME (default: GITHUB_REPOSITORY)");
  sub->add_option("--github-token", options->token,
                  "Token for the REST API (default: GITHUB_TOKEN); never printed or stored");
  sub->add_option("--api-url", options->api_url,
                  "REST API base (default: GITHUB_API_URL, else https://api.github.com; GitHub "
                  "Enterprise Server: https://HOST/api/v3)");
  sub->add_option("--results", options->results,
                  "The run's results JSON, for warnings about the machine")
      ->check(CLI::ExistingFile);
  sub->add_option("--run-url", options->run_url,
                  "Link to the run that measured (its job summary has the full report); default: "
                  "this run");
  sub->add_option("--commit", options->commit, "The commit measured, shown in the comment");
  sub->add_option("--baselines", options->baselines,
                  "Baselines directory named in the update command")
      ->capture_default_str();
  sub->add_option("--mode", options->mode,
                  "auto: edit ours if it exists, create one only for a regression, improvement, "
                  "failed check or missing baseline; always: create or edit")
      ->check(CLI::IsMember({"auto", "always"}))
      ->capture_default_str();
  sub->callback([&action, options] { action = [options] { return run_comment(*options); }; });
}

}  // namespace gilguard::cli
