#include "gilguard/baseline/build_record_codec.hpp"

#include <fmt/format.h>

#include <boost/json.hpp>

namespace gilguard::baseline {
namespace {

namespace json = boost::json;

struct BadField {
  std::string message;
};

const json::value& member(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (value == nullptr) throw BadField{fmt::format("missing key \"{}\"", key)};
  return *value;
}

std::string string_at(const json::object& object, std::string_view key) {
  const auto& value = member(object, key);
  if (!value.is_string()) throw BadField{fmt::format("key \"{}\": expected a string", key)};
  return std::string(value.get_string());
}

}  // namespace

std::string build_record_to_json_text(const BuildRecord& record) {
  json::object out;
  out["schema_version"] = BuildRecord::k_schema_version;
  out["flavor"] = to_string(record.flavor);
  out["key"] = record.key;
  out["key_inputs"] = record.key_inputs;
  out["source"] = record.source;
  out["source_identity"] = record.source_identity;
  if (!record.source_ref.empty()) out["source_ref"] = record.source_ref;
  if (!record.source_commit.empty()) out["source_commit"] = record.source_commit;
  out["interpreter"] = record.interpreter;
  out["version"] = record.version;
  out["finished_at"] = record.finished_at;
  out["gilguard_version"] = record.gilguard_version;
  json::object phases;
  for (const auto& [name, seconds] : record.phase_seconds) phases[name] = seconds;
  out["phase_seconds"] = std::move(phases);
  return json::serialize(out) + "\n";
}

Expected<BuildRecord> build_record_from_json_text(std::string_view text) {
  boost::system::error_code ec;
  const json::value value = json::parse(text, ec);
  if (ec) return fail(fmt::format("not valid JSON ({})", ec.message()));
  if (!value.is_object()) return fail("expected a JSON object");
  const auto& object = value.get_object();
  try {
    const auto& schema = member(object, "schema_version");
    if (!schema.is_int64() || schema.get_int64() != BuildRecord::k_schema_version)
      throw BadField{fmt::format("schema_version is not {}", BuildRecord::k_schema_version)};
    BuildRecord record;
    const auto flavor = parse_flavor(string_at(object, "flavor"));
    if (!flavor) throw BadField{"key \"flavor\": expected \"gil\" or \"ft\""};
    record.flavor = *flavor;
    record.key = string_at(object, "key");
    record.key_inputs = string_at(object, "key_inputs");
    record.source = string_at(object, "source");
    record.source_identity = string_at(object, "source_identity");
    // Only builds of a revision (--ref) have these two.
    if (object.contains("source_ref")) record.source_ref = string_at(object, "source_ref");
    if (object.contains("source_commit")) record.source_commit = string_at(object, "source_commit");
    record.interpreter = string_at(object, "interpreter");
    record.version = string_at(object, "version");
    record.finished_at = string_at(object, "finished_at");
    record.gilguard_version = string_at(object, "gilguard_version");
    const auto& phases = member(object, "phase_seconds");
    if (!phases.is_object()) throw BadField{"key \"phase_seconds\": expected an object"};
    for (const auto& [name, seconds] : phases.get_object()) {
      if (!seconds.is_number())
        throw BadField{
            fmt::format("key \"phase_seconds.{}\": expected a number", std::string_view(name))};
      record.phase_seconds[std::string(name)] = seconds.to_number<double>();
    }
    return record;
  } catch (const BadField& bad) {
    return fail(bad.message);
  }
}

std::string build_summary_to_json_text(const std::vector<BuiltInterpreter>& built) {
  json::object out;
  json::object hits;
  for (const auto& entry : built) {
    out[to_string(entry.flavor)] = entry.interpreter;
    hits[to_string(entry.flavor)] = entry.cache_hit;
    if (!entry.source_commit.empty()) out["commit"] = entry.source_commit;
  }
  out["cache_hits"] = std::move(hits);
  return json::serialize(out) + "\n";
}

}  // namespace gilguard::baseline
