#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "gilguard/core/error.hpp"
#include "gilguard/core/run_result.hpp"

namespace gilguard::baseline {

// The results JSON of a run (schema_version 1, docs/results-format.md): machine, both
// interpreters' facts, parameters and seed, every raw sample, per-cell summaries, failures.
boost::json::value to_json(const RunResult& result);

// The results file text: to_json pretty-printed, ending in a newline.
std::string results_to_json_text(const RunResult& result);

// A RunResult from its JSON value, validating every field; errors name the field path
// ("samples[3].t_seq: expected a number, found a string"). Another schema_version is refused
// with the version this gilguard reads.
Expected<RunResult> results_from_json(const boost::json::value& json);

// Parses and validates results file text; syntax errors give "line L, column C".
Expected<RunResult> results_from_json_text(std::string_view text);

}  // namespace gilguard::baseline
