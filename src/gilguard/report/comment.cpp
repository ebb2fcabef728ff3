#include "gilguard/report/comment.hpp"

#include <fmt/format.h>

#include "gilguard/report/findings.hpp"
#include "gilguard/report/markdown.hpp"

namespace gilguard::report {
namespace {

// At most this many findings in the comment; the job summary lists all.
constexpr std::size_t k_comment_findings = 10;

// The key reduced to characters that cannot end an HTML comment or break the line.
std::string marker_key(std::string_view key) {
  std::string out;
  for (const char c : key) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '+';
    out += safe ? c : (c == '-' ? '-' : '_');
  }
  // "--" may not appear inside an HTML comment.
  for (std::size_t pos = out.find("--"); pos != std::string::npos; pos = out.find("--")) {
    out[pos + 1] = '_';
  }
  return out;
}

}  // namespace

std::string comment_marker(std::string_view baseline_key) {
  std::string out(k_comment_marker);
  if (!baseline_key.empty()) {
    out += fmt::format("\n<!-- gilguard:key={} -->", marker_key(baseline_key));
  }
  return out;
}

std::string render_comment(const Comparison& comparison, const RunResult* run,
                           const ReportLinks& links, std::size_t max_bytes) {
  const Headline head = headline(comparison);
  std::string out = comment_marker(comparison.baseline_key) + "\n";
  out += fmt::format("### {} gilguard: {}\n\n", head.icon, head.status);
  out += markdown_text(head.sentence) + "\n\n";
  out += markdown_metric_table(comparison);

  const auto findings = collect_findings(comparison, run);
  if (!findings.empty()) {
    out += "\n#### Findings\n\n" + markdown_findings(findings, k_comment_findings);
  }
  if (offers_baseline_update(comparison, head)) {
    out += "\n" + markdown_update_section(links, "#### Update the baseline");
  }
  std::string footer = "\n";
  if (!links.run_url.empty()) {
    footer +=
        fmt::format("[Full report, chart and environment in the job summary]({})", links.run_url);
  } else {
    footer += "Full report, chart and environment in the job summary";
  }
  if (!links.commit.empty()) footer += fmt::format(" · commit {}", code_span(links.commit));
  out += footer + ".\n";

  const std::string cut_footer =
      links.run_url.empty()
          ? std::string(
                "\n*This comment was cut to fit GitHub's limit; the full report is in "
                "the job summary.*\n")
          : fmt::format(
                "\n*This comment was cut to fit GitHub's limit; the full report is in "
                "[the job summary]({}).*\n",
                links.run_url);
  return truncate_markdown(out, max_bytes, cut_footer);
}

bool worth_commenting(const Comparison& comparison) {
  if (!comparison.failed_checks.empty()) return true;
  switch (comparison.overall) {
    case Verdict::regression:
    case Verdict::improvement:
    case Verdict::no_baseline:
      return true;
    case Verdict::pass:
    case Verdict::inconclusive:
      break;
  }
  for (const auto& metric : comparison.metrics) {
    if (metric.gating &&
        (metric.verdict == Verdict::regression || metric.verdict == Verdict::improvement)) {
      return true;
    }
  }
  return false;
}

}  // namespace gilguard::report
