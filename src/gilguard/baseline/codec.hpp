#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "gilguard/baseline/baseline.hpp"
#include "gilguard/core/error.hpp"

namespace gilguard::baseline {

// The JSON value of a baseline (schema v1, docs/baseline-format.md).
boost::json::value to_json(const Baseline& baseline);

// The baseline file text: to_json, pretty-printed, ending in a newline.
std::string to_json_text(const Baseline& baseline);

// A baseline from its JSON value, validating every field. Errors name the field path
// ("runs[2].metrics.ft-speedup-2.low: missing"); an unknown schema_version says which one is
// supported and what to do.
Expected<Baseline> baseline_from_json(const boost::json::value& json);

// Parses and validates baseline file text; syntax errors give "line L, column C".
Expected<Baseline> baseline_from_json_text(std::string_view text);

}  // namespace gilguard::baseline
