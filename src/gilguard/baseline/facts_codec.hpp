#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/error.hpp"
#include "gilguard/core/interpreter.hpp"

namespace gilguard::baseline {

// JSON object for one interpreter's facts. Keys: path, executable, version, implementation,
// py_gil_disabled, gil_enabled_at_start (bool or null), config_args, platform, logical_cpus,
// usable_cpus, plus the derived "flavor" ("gil"/"ft") for readers; parsing ignores "flavor".
boost::json::object to_json(const InterpreterFacts& facts);

// Facts from a JSON value as written by to_json (or printed by the probe snippet). Every key
// but "flavor" is required; a missing or mistyped one fails with the key's name.
Expected<InterpreterFacts> facts_from_json(const boost::json::value& json);

// Parses one JSON text (e.g. the probe's output line) into facts.
Expected<InterpreterFacts> facts_from_json_text(std::string_view text);

// A JSON array of facts objects, one object per line, for `gilguard probe`'s stdout.
std::string facts_list_to_json_text(const std::vector<InterpreterFacts>& facts);

}  // namespace gilguard::baseline
