#include "gilguard/baseline/json_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <cctype>
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

// The offset of the first byte at which `text` stops being UTF-8 (RFC 3629: no overlong forms,
// no surrogates, nothing past U+10FFFF), or npos when all of it is.
std::size_t invalid_utf8_at(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;  // the range of the second byte
    unsigned char high = 0xBF;
    if (byte >= 0xC2 && byte <= 0xDF) {
      length = 2;
    } else if (byte >= 0xE0 && byte <= 0xEF) {
      length = 3;
      if (byte == 0xE0) low = 0xA0;   // overlong
      if (byte == 0xED) high = 0x9F;  // surrogates
    } else if (byte >= 0xF0 && byte <= 0xF4) {
      length = 4;
      if (byte == 0xF0) low = 0x90;   // overlong
      if (byte == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

// Whether byte `at` of `text` lies inside a string, reading from the start (the text before
// `at` is a valid beginning of a JSON document: the parser stopped at `at`).
bool inside_string(std::string_view text, std::size_t at) {
  bool in_string = false;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    if (!in_string) {
      in_string = text[i] == '"';
    } else if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      in_string = false;
    }
  }
  return in_string;
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.' ||
         c == '_';
}

constexpr std::string_view k_fix_there =
    "fix the JSON there (a file gilguard wrote has no syntax error: was it edited?)";

// What is wrong where a parse stopped with a syntax error, and the fix: the mistakes people and
// other tools make (Python's json writes NaN; hand edits leave comments, trailing commas, single
// quotes, bare words), else the character found.
std::string describe_syntax_error(std::string_view text, std::size_t at) {
  const auto rest = text.substr(std::min(at, text.size()));
  if (rest.empty()) return "the text ends before the JSON document does";
  const char c = rest.front();
  const auto byte = static_cast<unsigned char>(c);
  if (inside_string(text, at)) {
    if (byte < 0x20)
      return fmt::format(
          "a raw control character (U+{:04X}) in a string: write it as an escape (\\n, \\t or "
          "\\u{:04x})",
          byte, byte);
    if (at > 0 && text[at - 1] == '\\')
      return "an escape JSON does not have: a string's escapes are \\\" \\\\ \\/ \\b \\f \\n \\r "
             "\\t and \\uXXXX";
    return fmt::format("unexpected text in a string; {}", k_fix_there);
  }
  // The word the parse stopped in ("NaN", "-Infinity", "tru", "yes"), if any.
  std::size_t begin = at;
  while (begin > 0 && is_word_char(text[begin - 1])) --begin;
  std::size_t end = at;
  while (end < text.size() && is_word_char(text[end])) ++end;
  const auto word = text.substr(begin, end - begin);
  const auto first_letter = word.find_first_not_of("+-");
  if (!word.empty() && first_letter != std::string_view::npos && first_letter <= 1 &&
      std::isalpha(static_cast<unsigned char>(word[first_letter])) != 0) {
    const std::string_view bare = word.substr(first_letter);
    if (bare == "NaN" || bare == "nan" || bare == "Infinity" || bare == "inf")
      return fmt::format(
          "{} is not a JSON value (JSON has no NaN or infinity; Python's json module writes them "
          "for float('nan') and float('inf')): write null or a number instead",
          word);
    return fmt::format(
        "'{:.40}' is not a JSON value: JSON's words are true, false and null, and strings are in "
        "double quotes",
        word);
  }
  if (rest.starts_with("//") || rest.starts_with("/*"))
    return "a comment, which JSON does not allow: remove it";
  const auto last = text.substr(0, at).find_last_not_of(" \t\r\n");
  const char before = last == std::string_view::npos ? '\0' : text[last];
  if ((c == '}' || c == ']') && before == ',')
    return fmt::format("a comma before '{}', which JSON does not allow: remove the comma", c);
  if (c == '\'') return "a single quote: JSON strings and keys are in double quotes (\")";
  const std::string found =
      byte >= 0x20 && byte < 0x7F ? fmt::format("'{}'", c) : fmt::format("byte 0x{:02X}", byte);
  if (before == ':')
    return fmt::format("{} where a value should follow ':'; {}", found, k_fix_there);
  const bool value_ended = before == '"' || before == ']' || before == '}' || before == 'e' ||
                           before == 'l' || std::isdigit(static_cast<unsigned char>(before)) != 0;
  const bool value_starts = c == '"' || c == '{' || c == '[' || c == '-' ||
                            std::isdigit(static_cast<unsigned char>(c)) != 0;
  if (value_ended && value_starts)
    return fmt::format("a ','{} is missing before {}",
                       before == '"' ? " (or, after a key, a ':')" : "", found);
  return fmt::format("unexpected {}; {}", found, k_fix_there);
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
  const auto at = [&](std::size_t offset, const std::string& what) {
    const auto position = position_of(text, offset);
    return fail(fmt::format("line {}, column {}: {}", position.line, position.column, what));
  };
  if (text.starts_with("\xEF\xBB\xBF"))
    return at(0,
              "the text starts with a UTF-8 byte order mark (bytes EF BB BF), which JSON does not "
              "allow (RFC 8259, section 8.1): save the file as UTF-8 without it");
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return fail("the text is empty: there is no JSON document in it");

  json::basic_parser<ExactHandler> parser{json::parse_options{}};
  boost::system::error_code ec;
  const std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && consumed == text.size()) return parser.handler().release();

  // JSON is UTF-8 (RFC 8259, section 8.1): a bad byte up to where the parse stopped is the cause.
  if (const auto bad = invalid_utf8_at(text); bad <= consumed) {
    const auto position = position_of(text, bad);
    return fail(
        fmt::format("line {}, column {} (byte offset {}): invalid UTF-8 (byte 0x{:02X}); JSON text "
                    "must be UTF-8: "
                    "save the file as UTF-8",
                    position.line, position.column, bad, static_cast<unsigned char>(text[bad])));
  }
  if (ec == json::error::incomplete)
    return at(consumed,
              "the text ends before the JSON document does: the file was cut short; write it "
              "again");
  if (ec == json::error::syntax) return at(consumed, describe_syntax_error(text, consumed));
  if (ec) return at(consumed, ec.message());
  return at(consumed,
            "unexpected text after the end of the JSON document: a file holds one document; "
            "remove what follows it");
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
