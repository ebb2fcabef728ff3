#include "gilguard/baseline/json_text.hpp"

#include <fmt/format.h>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <charconv>
#include <cmath>

#include "gilguard/util/utf8.hpp"

namespace gilguard::baseline {
namespace {

namespace json = boost::json;

// The shortest text that reads back as exactly `value` (fmt's round-trip form), keeping a ".0"
// so it reads back as a double.
std::string format_double(double value) {
  if (!std::isfinite(value)) return "null";  // JSON has no NaN or infinity
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

// Builds a json::value as Boost.JSON's own parser does, except that doubles are converted from
// their text with std::from_chars, which rounds correctly: Boost.JSON 1.81's conversion is off
// by one ulp for about one in nine 17-digit numbers, so written values would not read back.
class ExactHandler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  ExactHandler() { m_stack.reset(); }

  json::value release() { return m_stack.release(); }

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_object_begin(boost::system::error_code&) { return true; }
  bool on_object_end(std::size_t n, boost::system::error_code&) {
    m_stack.push_object(n);
    return true;
  }
  bool on_array_begin(boost::system::error_code&) { return true; }
  bool on_array_end(std::size_t n, boost::system::error_code&) {
    m_stack.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, boost::system::error_code&) {
    m_stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, boost::system::error_code&) {
    m_stack.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, boost::system::error_code&) {
    m_stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, boost::system::error_code&) {
    m_stack.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, boost::system::error_code&) {
    m_number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, boost::system::error_code&) {
    m_number.clear();
    m_stack.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, boost::system::error_code&) {
    m_number.clear();
    m_stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view s, boost::system::error_code&) {
    m_number.append(s.data(), s.size());
    double exact = d;
    const char* first = m_number.data();
    const char* last = first + m_number.size();
    const auto [ptr, ec] = std::from_chars(first, last, exact);
    m_stack.push_double(ec == std::errc() && ptr == last ? exact : d);
    m_number.clear();
    return true;
  }
  bool on_bool(bool b, boost::system::error_code&) {
    m_stack.push_bool(b);
    return true;
  }
  bool on_null(boost::system::error_code&) {
    m_stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, boost::system::error_code&) { return true; }
  bool on_comment(json::string_view, boost::system::error_code&) { return true; }

 private:
  json::value_stack m_stack;
  std::string m_number;  // the number's text seen so far
};

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
        out += json::serialize(json::string_view(util::valid_utf8(member.key())));
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
    case json::kind::string:
      // Text from outside (a child's stderr in a failure) may hold any bytes: write valid UTF-8,
      // or the file could not be read back.
      out += json::serialize(json::string_view(util::valid_utf8(value.get_string())));
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
  json::basic_parser<ExactHandler> parser{json::parse_options{}};
  boost::system::error_code ec;
  const std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  std::string what;
  if (ec == json::error::incomplete) {
    what = "the text ends before the JSON document does";
  } else if (ec) {
    what = ec.message();
  } else if (consumed < text.size()) {
    what = "unexpected text after the end of the JSON document";
  }
  if (!what.empty()) {
    const auto position = position_of(text, consumed);
    return fail(fmt::format("line {}, column {}: {}", position.line, position.column, what));
  }
  return parser.handler().release();
}

boost::json::value number_or_null(const std::optional<double>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

std::string to_pretty_json(const boost::json::value& value) {
  std::string out;
  write_value(out, value, 0);
  out += "\n";
  return out;
}

}  // namespace gilguard::baseline
