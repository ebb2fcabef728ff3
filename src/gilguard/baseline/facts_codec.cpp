#include "gilguard/baseline/facts_codec.hpp"

#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <limits>

namespace gilguard::baseline {
namespace {

namespace json = boost::json;

Expected<const json::value*> field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) return fail(fmt::format("missing key \"{}\"", key));
  return value;
}

Expected<std::string> string_field(const json::object& object, std::string_view key) {
  auto value = field(object, key);
  if (!value) return std::unexpected(value.error());
  if (!(*value)->is_string()) return fail(fmt::format("key \"{}\": expected a string", key));
  return std::string((*value)->get_string());
}

Expected<bool> bool_field(const json::object& object, std::string_view key) {
  auto value = field(object, key);
  if (!value) return std::unexpected(value.error());
  if (!(*value)->is_bool()) return fail(fmt::format("key \"{}\": expected true or false", key));
  return (*value)->get_bool();
}

Expected<std::optional<bool>> optional_bool_field(const json::object& object,
                                                  std::string_view key) {
  auto value = field(object, key);
  if (!value) return std::unexpected(value.error());
  if ((*value)->is_null()) return std::optional<bool>{};
  if (!(*value)->is_bool())
    return fail(fmt::format("key \"{}\": expected true, false or null", key));
  return std::optional<bool>((*value)->get_bool());
}

Expected<int> count_field(const json::object& object, std::string_view key) {
  auto value = field(object, key);
  if (!value) return std::unexpected(value.error());
  std::int64_t number = 0;
  if ((*value)->is_int64()) {
    number = (*value)->get_int64();
  } else if ((*value)->is_uint64() &&
             (*value)->get_uint64() < static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
    number = static_cast<std::int64_t>((*value)->get_uint64());
  } else {
    return fail(fmt::format("key \"{}\": expected a whole number", key));
  }
  if (number < 0 || number > std::numeric_limits<int>::max())
    return fail(fmt::format("key \"{}\": {} is out of range", key, number));
  return static_cast<int>(number);
}

}  // namespace

boost::json::object to_json(const InterpreterFacts& facts) {
  json::object out;
  out["path"] = facts.path;
  out["executable"] = facts.executable;
  out["version"] = facts.version;
  out["implementation"] = facts.implementation;
  out["flavor"] = to_string(facts.flavor());
  out["py_gil_disabled"] = facts.gil_disabled_build;
  if (facts.gil_enabled_at_start) {
    out["gil_enabled_at_start"] = *facts.gil_enabled_at_start;
  } else {
    out["gil_enabled_at_start"] = nullptr;
  }
  out["config_args"] = facts.config_args;
  out["platform"] = facts.platform;
  out["logical_cpus"] = facts.logical_cpus;
  out["usable_cpus"] = facts.usable_cpus;
  return out;
}

Expected<InterpreterFacts> facts_from_json(const boost::json::value& value) {
  if (!value.is_object()) return fail("interpreter facts: expected a JSON object");
  const auto& object = value.get_object();
  InterpreterFacts facts;
  Expected<void> status;
  const auto take = [&status](auto result, auto& target) {
    if (!status) return;
    if (!result) {
      status = std::unexpected(Error{"interpreter facts: " + result.error().message});
      return;
    }
    target = std::move(*result);
  };
  take(string_field(object, "path"), facts.path);
  take(string_field(object, "executable"), facts.executable);
  take(string_field(object, "version"), facts.version);
  take(string_field(object, "implementation"), facts.implementation);
  take(bool_field(object, "py_gil_disabled"), facts.gil_disabled_build);
  take(optional_bool_field(object, "gil_enabled_at_start"), facts.gil_enabled_at_start);
  take(string_field(object, "config_args"), facts.config_args);
  take(string_field(object, "platform"), facts.platform);
  take(count_field(object, "logical_cpus"), facts.logical_cpus);
  take(count_field(object, "usable_cpus"), facts.usable_cpus);
  if (!status) return std::unexpected(status.error());
  return facts;
}

Expected<InterpreterFacts> facts_from_json_text(std::string_view text) {
  boost::system::error_code ec;
  const json::value value = json::parse(text, ec);
  if (ec) return fail(fmt::format("interpreter facts: not valid JSON ({})", ec.message()));
  return facts_from_json(value);
}

std::string facts_list_to_json_text(const std::vector<InterpreterFacts>& facts) {
  if (facts.empty()) return "[]\n";
  std::string out = "[\n";
  for (std::size_t i = 0; i < facts.size(); ++i) {
    out += "  " + json::serialize(to_json(facts[i]));
    out += i + 1 < facts.size() ? ",\n" : "\n";
  }
  out += "]\n";
  return out;
}

}  // namespace gilguard::baseline
