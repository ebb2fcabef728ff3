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
#include "gilguard/util/secrets.hpp"

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
  std::string on_failure = "fail";
};

// A comment that was not made: said on stderr and, inside Actions, as an annotation of
// `severity` titled `title` (none when `title` is empty).
void say_skipped(const github::Context& ctx, std::string_view severity, std::string_view title,
                 const std::string& detail) {
  print_stderr(fmt::format("gilguard: {}\n", detail));
  if (ctx.in_actions && !title.empty()) {
    fmt::print("{}\n", report::workflow_command(severity, {{"title", std::string(title)}}, detail));
    std::fflush(stdout);
  }
}

ExitCode run_comment(const CommentOptions& options) {
  const Comparison comparison =
      value_or_throw(baseline::read_comparison_file(options.from), "reading --from");
  std::optional<RunResult> run;
  if (!options.results.empty()) {
    const auto text = value_or_throw(util::read_json_file(options.results), "reading --results");
    run = value_or_throw(baseline::results_from_json_text(text), "reading " + options.results);
  }
  const auto env = util::current_environment();
  // --github-token, else the GITHUB_TOKEN gilguard took from its environment at start-up.
  auto ctx = value_or_throw(
      github::read_context(env, options.token.empty() ? util::github_token() : options.token),
      "reading the GitHub Actions environment");
  const bool warn = options.on_failure == "warn";
  const auto mode = *github::parse_comment_mode(options.mode);
  // Asked for explicitly: say why there is none as a notice (as `gilguard check` does).
  const std::string_view skip_title =
      mode == github::CommentMode::always ? "Pull request comment skipped" : "";
  if (mode == github::CommentMode::never) {
    say_skipped(ctx, "notice", "", "No pull request comment (--mode never).");
    return ExitCode::ok;
  }
  int pr = options.pr;
  if (pr == 0) {
    // The action's comment step: the pull request of the event, when there is one.
    if (!ctx.pull_request) {
      say_skipped(
          ctx, "notice", skip_title,
          ctx.event_problem.empty()
              ? fmt::format("No pull request comment: the {} event is not about a pull request.",
                            ctx.event_name.empty() ? "current" : ctx.event_name)
              : fmt::format("No pull request comment: the event could not be read ({}).",
                            ctx.event_problem));
      return ExitCode::ok;
    }
    pr = ctx.pull_request->number;
  }
  if (ctx.token.empty()) {
    const std::string why =
        "no GitHub token: pass --github-token TOKEN or set GITHUB_TOKEN (the token needs "
        "'pull-requests: write' or 'issues: write')";
    if (!warn) throw usage_error(why);
    say_skipped(ctx, "notice", skip_title, "No pull request comment: " + why + ".");
    return ExitCode::ok;
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
  links.commit = options.commit.empty() ? ctx.commit() : options.commit;
  links.results_path = options.results;
  links.comparison_path = options.from;
  links.baselines_dir = options.baselines;
  const std::string body = report::render_comment(comparison, run ? &*run : nullptr, links);

  github::CurlTransport transport;
  github::RestClient client(transport, api_url, ctx.token);
  const auto outcome = github::post_sticky_comment(client, repository, pr, body,
                                                   report::comment_marker(comparison.baseline_key),
                                                   mode, report::worth_commenting(comparison));

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
  if (warn) {
    // The action's comment step: a comment is a courtesy, and the check has reported already.
    if (ctx.in_actions) {
      fmt::print("{}\n",
                 report::workflow_command("warning", {{"title", "Pull request comment failed"}},
                                          outcome.detail));
    }
    return ExitCode::ok;
  }
  throw usage_error(outcome.detail);
}

}  // namespace

void add_comment_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "comment",
      "Create or update gilguard's one sticky comment on a pull request from a saved comparison.\n"
      "For the action's comment step, which runs after the check without running any of the\n"
      "pull request's code, and for the workflow_run companion that fork pull requests need\n"
      "(their own workflow gets a read-only token). Needs a token with pull-requests: write\n"
      "(--github-token or GITHUB_TOKEN). A 401/403/404 answer is reported as a notice and\n"
      "exits 0.");
  auto options = std::make_shared<CommentOptions>();
  sub->add_option("--from", options->from, "The comparison JSON file ('gilguard compare --output')")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--pr", options->pr,
                  "The pull request number (default: the pull request of the GitHub Actions "
                  "event, GITHUB_EVENT_PATH; none there: no comment, exit 0)")
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
                  "failed check or missing baseline; always: create or edit; never: none")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  sub->add_option("--on-failure", options->on_failure,
                  "fail: exit 2 when the comment cannot be posted (no token, network or server "
                  "trouble); warn: a warning (a notice when there is no token) and exit 0, as "
                  "the action's comment step does")
      ->check(CLI::IsMember({"fail", "warn"}))
      ->capture_default_str();
  sub->callback([&action, options] { action = [options] { return run_comment(*options); }; });
}

}  // namespace gilguard::cli
