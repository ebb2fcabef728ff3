#include "gilguard/github/publish.hpp"

#include <fmt/format.h>

#include "gilguard/report/annotations.hpp"
#include "gilguard/report/comment.hpp"
#include "gilguard/report/findings.hpp"
#include "gilguard/report/summary.hpp"

namespace gilguard::github {
namespace {

// The gated free-threaded speedup with the most threads, the number people quote.
const MetricComparison* headline_speedup(const Comparison& comparison, Flavor flavor,
                                         int threads = 0) {
  const MetricComparison* best = nullptr;
  for (const auto& metric : comparison.metrics) {
    if (metric.id.kind != MetricKind::speedup || metric.id.flavor != flavor) continue;
    if (threads > 0) {
      if (metric.id.threads == threads) return &metric;
      continue;
    }
    if (best == nullptr || (metric.gating && !best->gating) ||
        (metric.gating == best->gating && metric.id.threads > best->id.threads)) {
      best = &metric;
    }
  }
  return best;
}

std::string number(const MetricComparison* metric) {
  return metric == nullptr ? "" : fmt::format("{:.3f}", metric->current.value);
}

}  // namespace

std::vector<Output> step_outputs(const Comparison& comparison, const report::ReportLinks& links) {
  const auto* ft = headline_speedup(comparison, Flavor::ft);
  const auto* gil =
      ft == nullptr ? nullptr : headline_speedup(comparison, Flavor::gil, ft->id.threads);
  const MetricComparison* overhead = nullptr;
  for (const auto& metric : comparison.metrics) {
    if (metric.id.kind == MetricKind::overhead && metric.id.flavor == Flavor::ft)
      overhead = &metric;
  }
  return {
      {"verdict", std::string(to_string(comparison.overall))},
      {"failed-checks", std::to_string(comparison.failed_checks.size())},
      {"ft-speedup", number(ft)},
      {"gil-speedup", number(gil)},
      {"speedup-threads", ft == nullptr ? "" : std::to_string(ft->id.threads)},
      {"ft-overhead", number(overhead)},
      {"results", links.results_path},
      {"comparison", links.comparison_path},
  };
}

PublishResult publish(const Comparison& comparison, const RunResult* run,
                      const PublishOptions& options, const util::Environment& env,
                      std::ostream& out, std::ostream& err, HttpTransport* transport) {
  auto context = read_context(env, options.token);
  if (!context)
    throw usage_error("reading the GitHub Actions environment: " + context.error().message);
  const Context& ctx = *context;
  PublishResult result;
  std::vector<std::string> problems;

  // Before anything else is printed: from here on the runner hides the token in the log.
  if (!ctx.token.empty() && ctx.in_actions) out << mask_command(ctx.token) << '\n' << std::flush;

  report::ReportLinks links = options.links;
  if (links.run_url.empty()) links.run_url = ctx.run_url();
  if (links.commit.empty()) links.commit = ctx.commit();

  if (!ctx.step_summary_path.empty()) {
    if (auto ok = append_step_summary(ctx.step_summary_path,
                                      report::render_summary(comparison, run, links));
        ok) {
      result.summary_written = true;
    } else {
      problems.push_back(ok.error().message);
    }
  }
  if (!ctx.output_path.empty()) {
    if (auto ok = append_outputs(ctx.output_path, step_outputs(comparison, links)); ok) {
      result.outputs_written = true;
    } else {
      problems.push_back(ok.error().message);
    }
  }

  // The comment.
  const bool worth = report::worth_commenting(comparison);
  if (options.comment == CommentMode::never) {
    result.comment = {CommentOutcome::Action::skipped, 0, "",
                      "No pull request comment (--comment never)."};
  } else if (!ctx.pull_request) {
    result.comment = {CommentOutcome::Action::skipped, 0, "",
                      ctx.event_problem.empty()
                          ? fmt::format("No pull request comment: the {} event is not about a "
                                        "pull request.",
                                        ctx.event_name.empty() ? "current" : ctx.event_name)
                          : fmt::format("No pull request comment: the event could not be read "
                                        "({}).",
                                        ctx.event_problem)};
  } else if (ctx.repository.empty()) {
    result.comment = {CommentOutcome::Action::skipped, 0, "",
                      "No pull request comment: GITHUB_REPOSITORY is not set."};
  } else if (ctx.token.empty()) {
    result.comment = {CommentOutcome::Action::skipped, 0, "",
                      "No pull request comment: no token (set GITHUB_TOKEN or pass "
                      "--github-token)."};
  } else {
    CurlTransport curl(options.timeouts);
    RestClient client(transport != nullptr ? *transport : curl, ctx.api_url, ctx.token,
                      options.retry);
    const std::string body = report::render_comment(comparison, run, links);
    result.comment = post_sticky_comment(client, ctx.repository, ctx.pull_request->number, body,
                                         report::comment_marker(comparison.baseline_key),
                                         options.comment, worth);
  }
  err << report::defuse_commands(fmt::format("gilguard: {}{}{}\n", result.comment.detail,
                                             result.comment.url.empty() ? "" : " ",
                                             result.comment.url));

  // Annotations last, so that the comment's fate is among them.
  auto findings = report::collect_findings(comparison, run);
  const auto action = result.comment.action;
  if (action == CommentOutcome::Action::denied) {
    findings.push_back(
        {report::Severity::notice, 0, 0, "Pull request comment skipped", result.comment.detail});
  } else if (action == CommentOutcome::Action::failed) {
    findings.push_back(
        {report::Severity::warning, 0, 0, "Pull request comment failed", result.comment.detail});
  } else if (action == CommentOutcome::Action::skipped && options.comment == CommentMode::always) {
    // Asked for explicitly, so say why there is none.
    findings.push_back(
        {report::Severity::notice, 0, 0, "Pull request comment skipped", result.comment.detail});
  }
  for (const auto& problem : problems) {
    findings.push_back(
        {report::Severity::error, 0, 0, "gilguard could not write its report", problem});
  }
  report::rank_findings(findings);
  const auto shown = report::select_annotations(findings, options.annotations_per_type);
  out << report::render_annotations(findings, options.annotations_per_type) << std::flush;
  result.annotations = shown.size();

  if (!problems.empty()) {
    std::string message = "writing the GitHub Actions report: " + problems.front();
    if (problems.size() > 1) message += fmt::format(" (and {} more)", problems.size() - 1);
    throw usage_error(message);
  }
  return result;
}

}  // namespace gilguard::github
