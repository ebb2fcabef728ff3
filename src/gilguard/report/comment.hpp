#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/report/sections.hpp"

namespace gilguard::report {

// The hidden marker that identifies gilguard's sticky comment on a pull request.
inline constexpr std::string_view k_comment_marker = "<!-- gilguard:comment -->";

// GitHub's limit on a comment body (characters; we count bytes, which is never fewer).
inline constexpr std::size_t k_comment_limit = 65536;

// The hidden lines that start our comment: the marker, and a second line naming the baseline
// key when there is one, so that each runner class of a matrix keeps its own comment. A body
// is ours when it contains this text.
std::string comment_marker(std::string_view baseline_key);

// The sticky PR comment: marker, verdict sentence, the table, the main findings, the update
// command and a link to the full job summary. At most `max_bytes`: a longer body is cut at a
// line and ends with a link to the run, never an error.
std::string render_comment(const Comparison& comparison, const RunResult* run,
                           const ReportLinks& links, std::size_t max_bytes = k_comment_limit);

// Whether the comparison has something a PR author must hear about (a regression, an
// improvement, a failed check or a missing baseline): --comment auto creates a new comment only
// then.
bool worth_commenting(const Comparison& comparison);

}  // namespace gilguard::report
