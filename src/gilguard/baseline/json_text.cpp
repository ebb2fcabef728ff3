#include "gilguard/baseline/json_text.hpp"

#include <fmt/format.h>

#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <cmath>

namespace gilguard::baseline {
namespace {

namespace json = boost::json;

// fmt's shortest round-trip form, keeping a ".0" so the value reads back as a double.
std::string format_double(double value) {
  if (!std::isfinite(value)) return "null";  // JSON has no NaN or infinity
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

bool is_scalar(const json::value& value) { return !value.is_object() && !value.is_array(); }

void write_value(std::string& out, const json::value& value, int depth) {
  const std::string indent(static_cast<std::size_t>(depth + 1) * 2, ' ');
  const std::string closing_indent(static_cast<std::size_t>(depth) * 2, ' ');
  switch (value.kind()) {
    case json::kind::object: {
      const auto& object = value.get_object();
      if (object.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      bool first = true;
      for (const auto& member : object) {
        if (!first) out += ",\n";
        first = false;
        out += indent;
        out += json::serialize(json::string_view(member.key()));
        out += ": ";
        write_value(out, member.value(), depth + 1);
      }
      out += "\n" + closing_indent + "}";
      return;
    }
    case json::kind::array: {
      const auto& array = value.get_array();
      if (array.empty()) {
        out += "[]";
        return;
      }
      bool all_scalars = true;
      for (const auto& element : array) all_scalars = all_scalars && is_scalar(element);
      if (all_scalars) {
        out += "[";
        bool first = true;
        for (const auto& element : array) {
          if (!first) out += ", ";
          first = false;
          write_value(out, element, depth + 1);
        }
        out += "]";
        return;
      }
      out += "[\n";
      bool first = true;
      for (const auto& element : array) {
        if (!first) out += ",\n";
        first = false;
        out += indent;
        write_value(out, element, depth + 1);
      }
      out += "\n" + closing_indent + "]";
      return;
    }
    case json::kind::double_:
      out += format_double(value.get_double());
      return;
    default:
      out += json::serialize(value);
      return;
  }
}

}  // namespace

TextPosition position_of(std::string_view text, std::size_t offset) {
  if (offset > text.size()) offset = text.size();
  TextPosition position;
  for (std::size_t i = 0; i < offset; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++position.line;
      position.column = 1;
    } else if ((byte & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++position.column;
    }
  }
  return position;
}

Expected<boost::json::value> parse_json(std::string_view text) {
  json::stream_parser parser;
  boost::system::error_code ec;
  const std::size_t consumed = parser.write_some(text.data(), text.size(), ec);
  std::string what;
  if (ec) {
    what = ec.message();
  } else if (consumed < text.size()) {
    what = "unexpected text after the end of the JSON document";
  } else {
    parser.finish(ec);
    if (ec) what = "the text ends before the JSON document does";
  }
  if (!what.empty()) {
    const auto position = position_of(text, consumed);
    return fail(fmt::format("line {}, column {}: {}", position.line, position.column, what));
  }
  return parser.release();
}

std::string to_pretty_json(const boost::json::value& value) {
  std::string out;
  write_value(out, value, 0);
  out += "\n";
  return out;
}

}  // namespace gilguard::baseline
