#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gilguard/report/findings.hpp"

namespace gilguard::report {

// The runner shows at most this many annotations of each type per step.
inline constexpr std::size_t k_annotations_per_type = 10;

// Escapes workflow-command data the way the runner unescapes it: % -> %25, CR -> %0D,
// LF -> %0A. The result is one line, so it can never start another command.
std::string escape_data(std::string_view text);

// Escapes a workflow-command property value: as escape_data, plus : -> %3A and , -> %2C.
std::string escape_property(std::string_view text);

// "::name key=value,key=value::data" with every value and the data escaped. Properties with an
// empty value are left out, as the toolkit does.
std::string workflow_command(std::string_view name,
                             const std::vector<std::pair<std::string, std::string>>& properties,
                             std::string_view data);

// The findings to show as annotations: per severity the most important first, at most `limit`
// of each; when there are more, the last one shown merges the rest ("and N more, see the job
// summary"), so none is silently lost. `findings` must be ranked (see rank_findings).
std::vector<Finding> select_annotations(const std::vector<Finding>& findings,
                                        std::size_t limit = k_annotations_per_type);

// The ::error / ::warning / ::notice lines (each ending in '\n') for select_annotations().
std::string render_annotations(const std::vector<Finding>& findings,
                               std::size_t limit = k_annotations_per_type);

// Outside text (interpreter output, file fields, paths, API messages) made safe to print as log
// lines and on a terminal; the one function every printed line with outside text goes
// through. A line whose first non-blank characters are "::" gets ": :" instead; "##[" (the
// runner's older command syntax, honoured anywhere in a line) becomes "## ["; a bare CR (a
// line break to the runner), ESC and the other control characters (C0, DEL, C1) become '?'.
// Tabs, LF and CR LF stay; '%' needs nothing outside a command. Nothing else changes.
std::string defuse_commands(std::string_view text);

// Text that is printed to the log as it is (interpreter output, file contents) inside
// ::stop-commands::<token> ... ::<token>::, so that no line of it is taken as a workflow
// command. `token` must be unguessable (random) and is replaced when the text contains it.
std::string guard_commands(std::string_view text, std::string_view token);

}  // namespace gilguard::report
