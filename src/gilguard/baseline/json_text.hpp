#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "gilguard/core/error.hpp"

namespace gilguard::baseline {

// A place in a text, both 1-based; columns count characters (UTF-8 code points), not bytes.
struct TextPosition {
  int line = 1;
  int column = 1;
};

// The line and column of byte `offset` in `text` (an offset past the end means the end).
TextPosition position_of(std::string_view text, std::size_t offset);

// Parses one JSON document, converting doubles from their text with correct rounding. A syntax
// error says "line L, column C: <what>" where parsing stopped; text after the document is an
// error too.
Expected<boost::json::value> parse_json(std::string_view text);

// JSON for files people read and diff: two-space indent, one member per line, arrays of
// scalars on one line, doubles in their shortest round-trip form ("1.5", "2.0"), and a final
// newline. parse_json reads every double back exactly, so writing what was read gives the same
// bytes.
std::string to_pretty_json(const boost::json::value& value);

// The number, or JSON null for nullopt.
boost::json::value number_or_null(const std::optional<double>& value);

}  // namespace gilguard::baseline
