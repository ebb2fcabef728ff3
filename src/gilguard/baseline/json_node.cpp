#include "gilguard/baseline/json_node.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>
#include <cmath>

namespace gilguard::baseline {

namespace json = boost::json;

std::string describe_kind(const boost::json::value& value) {
  switch (value.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    case json::kind::int64:
    case json::kind::uint64:
      return "a whole number";
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

void Node::reject(const std::string& message) const {
  throw FieldError(fmt::format("{}: {}", where(), message));
}

const json::object& Node::object() const {
  if (!m_value->is_object())
    reject(fmt::format("expected an object, found {}", describe_kind(*m_value)));
  return m_value->get_object();
}

Node Node::field(std::string_view name) const {
  auto found = optional_field(name);
  if (!found) {
    const std::string path = m_path.empty() ? std::string(name) : m_path + "." + std::string(name);
    throw FieldError(fmt::format("{}: missing", path));
  }
  return *found;
}

std::optional<Node> Node::optional_field(std::string_view name) const {
  const auto* member = object().if_contains(name);
  if (member == nullptr) return std::nullopt;
  return Node(*member, m_path.empty() ? std::string(name) : m_path + "." + std::string(name));
}

std::optional<double> Node::optional_number(std::string_view name) const {
  const auto member = optional_field(name);
  if (!member || member->value().is_null()) return std::nullopt;
  return member->as_number();
}

void Node::allow_only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& member : object()) {
    bool known = false;
    for (const auto name : allowed) known = known || member.key() == name;
    if (!known) {
      const std::string key(member.key());
      const std::string path = m_path.empty() ? key : m_path + "." + key;
      throw FieldError(fmt::format("{}: unknown field; the fields allowed here are {}", path,
                                   fmt::join(allowed, ", ")));
    }
  }
}

std::string Node::as_string() const {
  if (!m_value->is_string())
    reject(fmt::format("expected a string, found {}", describe_kind(*m_value)));
  return std::string(m_value->get_string());
}

bool Node::as_bool() const {
  if (!m_value->is_bool())
    reject(fmt::format("expected true or false, found {}", describe_kind(*m_value)));
  return m_value->get_bool();
}

std::int64_t Node::as_integer(std::int64_t min, std::int64_t max) const {
  std::int64_t number = 0;
  if (m_value->is_int64()) {
    number = m_value->get_int64();
  } else if (m_value->is_uint64()) {
    reject(fmt::format("{} is out of range (expected {} to {})", m_value->get_uint64(), min, max));
  } else {
    reject(fmt::format("expected a whole number, found {}", describe_kind(*m_value)));
  }
  if (number < min || number > max)
    reject(fmt::format("{} is out of range (expected {} to {})", number, min, max));
  return number;
}

double Node::as_number() const {
  if (m_value->is_double()) {
    const double number = m_value->get_double();
    if (!std::isfinite(number)) reject("expected a finite number");
    return number;
  }
  if (m_value->is_int64()) return static_cast<double>(m_value->get_int64());
  if (m_value->is_uint64()) return static_cast<double>(m_value->get_uint64());
  reject(fmt::format("expected a number, found {}", describe_kind(*m_value)));
}

double Node::as_positive_number() const {
  const double number = as_number();
  if (!(number > 0)) reject(fmt::format("expected a number greater than 0, found {}", number));
  return number;
}

std::vector<Node> Node::elements() const {
  if (!m_value->is_array())
    reject(fmt::format("expected an array, found {}", describe_kind(*m_value)));
  std::vector<Node> out;
  const auto& array = m_value->get_array();
  out.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i)
    out.emplace_back(array[i], fmt::format("{}[{}]", m_path, i));
  return out;
}

std::vector<std::pair<std::string, Node>> Node::members() const {
  std::vector<std::pair<std::string, Node>> out;
  for (const auto& member : object()) {
    std::string key(member.key());
    std::string path = m_path.empty() ? key : m_path + "." + key;
    out.emplace_back(key, Node(member.value(), std::move(path)));
  }
  return out;
}

}  // namespace gilguard::baseline
