#pragma once

#include <string>
#include <vector>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/report/findings.hpp"

namespace gilguard::report {

// Where the reports point the reader: the run, the files, the way to update the baseline.
struct ReportLinks {
  std::string run_url;          // the workflow run (its job summary); empty outside Actions
  std::string results_path;     // this run's results JSON, for the update command
  std::string comparison_path;  // this comparison's JSON
  std::string baselines_dir = "baselines";
  std::string update_workflow;  // a workflow file that updates baselines, if the repo has one
  std::string commit;           // the commit measured (GITHUB_SHA or the PR head), if known
};

// What a report leads with: one verdict, in words.
struct Headline {
  std::string status;    // "Regression", "Failed check", "No regression", ...
  std::string icon;      // for Markdown
  std::string sentence;  // one plain-text sentence a reviewer understands, without Markdown
  bool bad = false;      // a regression or a failed check: the step fails
};

// The headline of a comparison: a failed check first, then the overall verdict, naming the
// metric that decided it and its numbers.
Headline headline(const Comparison& comparison);

// The metrics in reading order: free-threaded speedups by threads, GIL speedups, overheads.
std::vector<const MetricComparison*> ordered_metrics(const Comparison& comparison);

// The main Markdown table: flavour x threads with baseline, this run and its interval, change
// and verdict; ends with a line naming the baseline key and threshold.
std::string markdown_metric_table(const Comparison& comparison);

// A Markdown list of findings, each with its icon and title; multi-line messages (run output)
// as code blocks. At most `max_items` items, then a line saying how many were left out.
std::string markdown_findings(const std::vector<Finding>& findings, std::size_t max_items);

// Whether a report should offer to record this run as the baseline: after a regression, an
// improvement or without a baseline, never after a failed check (`baseline update` refuses
// such results: their speedups cannot be trusted).
bool offers_baseline_update(const Comparison& comparison, const Headline& head);

// The shell command that records this run as the baseline.
std::string update_command(const ReportLinks& links);

// The "Update the baseline" section: the command, and the workflow when there is one.
std::string markdown_update_section(const ReportLinks& links, const std::string& heading);

}  // namespace gilguard::report
