#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/github/context.hpp"
#include "gilguard/github/http.hpp"
#include "gilguard/github/output_file.hpp"
#include "gilguard/github/rest_client.hpp"
#include "gilguard/github/sticky_comment.hpp"
#include "gilguard/report/annotations.hpp"
#include "gilguard/report/sections.hpp"
#include "gilguard/util/process.hpp"

namespace gilguard::github {

// What `gilguard check` asks of publish().
struct PublishOptions {
  report::ReportLinks links;  // results/comparison paths, baselines dir, update workflow;
                              // run_url and commit are filled from the context when empty
  CommentMode comment = CommentMode::automatic;
  std::optional<std::string> token;  // --github-token, else util::github_token(); none: no comment
  std::size_t annotations_per_type = report::k_annotations_per_type;
  RetryPolicy retry;
  HttpTimeouts timeouts;
};

// What publish() did.
struct PublishResult {
  std::size_t annotations = 0;  // workflow-command annotations printed
  bool summary_written = false;
  bool outputs_written = false;
  CommentOutcome comment;
};

// The step outputs for a comparison: verdict, failed-checks, ft-speedup, gil-speedup (at the
// largest gated thread count, also given as speedup-threads), ft-overhead, results, comparison.
std::vector<Output> step_outputs(const Comparison& comparison, const report::ReportLinks& links);

// Reports a comparison inside GitHub Actions: masks the token (::add-mask:: once), appends the
// step summary to $GITHUB_STEP_SUMMARY, the outputs to $GITHUB_OUTPUT, creates or edits the
// sticky PR comment, and finally prints the ranked annotations to `out` (stdout). Progress goes
// to `err`. A comment that cannot be posted is a notice or warning, never a failure. Throws a
// usage Failure (exit 2) after everything else is done when the summary or outputs file could
// not be written, or when the environment is malformed. `transport` defaults to libcurl.
PublishResult publish(const Comparison& comparison, const RunResult* run,
                      const PublishOptions& options, const util::Environment& env,
                      std::ostream& out, std::ostream& err, HttpTransport* transport = nullptr);

}  // namespace gilguard::github
