#pragma once

#include <boost/json/value.hpp>
#include <filesystem>
#include <string>
#include <string_view>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/error.hpp"

namespace gilguard::baseline {

// Comparison files carry this; readers reject other values.
inline constexpr int k_comparison_schema_version = 2;  // reads 1 too
// An A/B comparison (head against a base of the same rounds: "base", change intervals).
inline constexpr int k_comparison_schema_version_ab = 3;

// The comparison JSON (what `gilguard compare --output` writes and `gilguard report` and
// `gilguard comment --from` read): overall verdict, baseline key and path, threshold, failed
// checks, and per metric its verdict, this run's estimate and the baseline (null when absent).
boost::json::value to_json(const Comparison& comparison);

// The comparison file text: to_json pretty-printed, ending in a newline.
std::string comparison_to_json_text(const Comparison& comparison);

// A Comparison from its JSON value, validating every field; errors name the field path
// ("metrics[2].verdict: ...").
Expected<Comparison> comparison_from_json(const boost::json::value& json);

// Parses and validates comparison file text; syntax errors give "line L, column C".
Expected<Comparison> comparison_from_json_text(std::string_view text);

// Reads and validates a comparison file; errors start with the path.
Expected<Comparison> read_comparison_file(const std::filesystem::path& path);

}  // namespace gilguard::baseline
