#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gilguard::baseline {

// Thrown by Node when a field is missing or has the wrong type; its message starts with the
// field's path. Codecs catch it at their boundary and return it as an Error.
class FieldError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A JSON value plus its path from the document root ("runs[2].metrics.ft-speedup-2.low"), so
// every complaint names the exact field. Accessors throw FieldError.
class Node {
 public:
  Node(const boost::json::value& value, std::string path)
      : m_value(&value), m_path(std::move(path)) {}

  // The path, or "the top level" for the root.
  std::string where() const { return m_path.empty() ? "the top level" : m_path; }
  const std::string& path() const { return m_path; }
  const boost::json::value& value() const { return *m_value; }

  // The member `name` of this object; throws when this is not an object or it is missing.
  Node field(std::string_view name) const;
  // The member `name`, or nullopt when it is absent.
  std::optional<Node> optional_field(std::string_view name) const;
  // The member `name` as a number, or nullopt when it is absent or null.
  std::optional<double> optional_number(std::string_view name) const;
  // Throws naming the first member not in `allowed` (catches typos in hand-edited files).
  void allow_only(std::initializer_list<std::string_view> allowed) const;

  std::string as_string() const;
  bool as_bool() const;
  // A whole number in [min, max].
  std::int64_t as_integer(std::int64_t min, std::int64_t max) const;
  // A finite number (integers accepted).
  double as_number() const;
  // A finite number > 0.
  double as_positive_number() const;
  // The elements of this array, each with its path ("runs[0]").
  std::vector<Node> elements() const;
  // The members of this object in file order, each with its path ("metrics.ft-speedup-2").
  std::vector<std::pair<std::string, Node>> members() const;

  // Throws FieldError "<path>: <message>".
  [[noreturn]] void reject(const std::string& message) const;

 private:
  const boost::json::object& object() const;

  const boost::json::value* m_value;
  std::string m_path;
};

// "a string", "a number", "an object", ...: what a JSON value is, for messages.
std::string describe_kind(const boost::json::value& value);

}  // namespace gilguard::baseline
