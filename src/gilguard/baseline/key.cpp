#include "gilguard/baseline/key.hpp"

#include <fmt/format.h>

#include <cctype>

#include "gilguard/util/sha256.hpp"

namespace gilguard::baseline {
namespace {

bool is_key_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '.' || c == '_' || c == '-';
}

// Lower case, with anything but [a-z0-9._] replaced by '_' ('-' separates the parts);
// "unknown" when empty.
std::string clean_part(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const char lower = static_cast<char>(std::tolower(u));
    out += (std::isalnum(u) != 0 && u < 0x80) || c == '.' || c == '_' ? lower : '_';
  }
  return out.empty() ? std::string("unknown") : out;
}

constexpr std::string_view k_key_rules =
    "a baseline key names the file <key>.json, so it must be 1 to 128 characters from "
    "A-Z a-z 0-9 '.' '_' '-' and start with a letter or digit";

// The key of `parts` in at most `length` characters. A workload part too long for it (a file deep
// in its repository) keeps its start and ends with 8 hex digits of its SHA-256, so two long
// labels still make two keys and the range stays at the end.
std::string make_key_within(const KeyParts& parts, std::size_t length) {
  std::string python = "py" + clean_part(parts.gil_python);
  if (parts.ft_python != parts.gil_python) python += "-" + clean_part(parts.ft_python) + "t";
  const std::string range = parts.range_sized ? std::string("auto") : std::to_string(parts.range);
  const std::string head = fmt::format("{}-{}-cpu{}-{}-", clean_part(parts.os),
                                       clean_part(parts.arch), parts.usable_cpus, python);
  const std::string tail = "-r" + range;
  std::string workload = clean_part(parts.workload);
  constexpr std::size_t k_digest_length = 8;
  if (head.size() + workload.size() + tail.size() > length &&
      head.size() + tail.size() + k_digest_length + 1 < length) {
    const std::string digest = util::sha256_hex(workload).substr(0, k_digest_length);
    workload.resize(length - head.size() - tail.size() - k_digest_length - 1);
    workload += "_" + digest;
  }
  std::string key = head + workload + tail;
  if (key.size() > length) key.resize(length);
  return key;
}

}  // namespace

KeyParts key_parts(const RunResult& result) {
  KeyParts parts;
  parts.os = result.machine.os;
  parts.arch = result.machine.arch;
  parts.usable_cpus = result.machine.usable_cpus;
  parts.gil_python = result.gil.major_minor();
  parts.ft_python = result.ft.major_minor();
  parts.workload = result.parameters.workload;
  parts.range = result.parameters.range;
  parts.range_sized = result.parameters.range_sized;
  return parts;
}

std::string make_key(const KeyParts& parts) { return make_key_within(parts, k_max_key_length); }

std::string derive_key(const RunResult& result) {
  if (!result.is_ab()) return make_key(key_parts(result));
  const std::string gil = result.base_gil->major_minor();
  const std::string ft = result.base_ft->major_minor();
  std::string base = "-base-py" + clean_part(gil);
  if (ft != gil) base += "-" + clean_part(ft) + "t";
  return make_key_within(key_parts(result), k_max_key_length - base.size()) + base;
}

Expected<void> validate_key(std::string_view key) {
  if (key.empty()) return fail(fmt::format("the key is empty; {}", k_key_rules));
  if (key.size() > k_max_key_length)
    return fail(fmt::format("the key is {} characters long; {}", key.size(), k_key_rules));
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (!is_key_char(key[i]))
      return fail(fmt::format("'{}' has a character that is not allowed at position {}; {}", key,
                              i + 1, k_key_rules));
  }
  if (std::isalnum(static_cast<unsigned char>(key.front())) == 0)
    return fail(fmt::format("'{}' does not start with a letter or digit; {}", key, k_key_rules));
  return {};
}

}  // namespace gilguard::baseline
