#include "gilguard/workload/spec.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

#include "gilguard/python/imports.hpp"
#include "gilguard/util/files.hpp"
#include "gilguard/util/sha256.hpp"

namespace gilguard::workload {
namespace {

constexpr std::string_view k_builtin_prefix = "builtin:";

bool is_param_value_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (std::isalnum(u) != 0 && u < 0x80) || c == '.' || c == '_' || c == '+' || c == '-';
}

// The first NAME=VALUE of `params` that is not one (a NAME an identifier, a VALUE of
// is_param_value_char), or nullopt when all are.
std::optional<std::string> bad_param(std::string_view params) {
  std::size_t start = 0;
  while (true) {
    const auto comma = params.find(',', start);
    const auto pair = params.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    const auto equals = pair.find('=');
    const bool good =
        equals != std::string_view::npos && python::is_module_name(pair.substr(0, equals)) &&
        pair.substr(0, equals).find('.') == std::string_view::npos && equals + 1 < pair.size() &&
        std::all_of(pair.begin() + equals + 1, pair.end(), is_param_value_char);
    if (!good) return std::string(pair);
    if (comma == std::string_view::npos) return std::nullopt;
    start = comma + 1;
  }
}

// The name of the function a line defines at the top level ("def NAME(" at its start), or
// nullopt.
std::optional<std::string_view> defined_at_top(std::string_view line) {
  constexpr std::string_view k_def = "def ";
  if (!line.starts_with(k_def)) return std::nullopt;
  auto rest = line.substr(k_def.size());
  const auto begin = rest.find_first_not_of(' ');
  if (begin == std::string_view::npos) return std::nullopt;
  rest = rest.substr(begin);
  const auto end = rest.find_first_of(" (");
  if (end == std::string_view::npos) return std::nullopt;
  const auto name = rest.substr(0, end);
  if (!python::is_module_name(name) || name.find('.') != std::string_view::npos)
    return std::nullopt;
  return name;
}

// Calls `each` with every top-level function name of `text`, in order.
template <typename Each>
void top_level_functions(std::string_view text, Each each) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    if (const auto name = defined_at_top(text.substr(pos, end - pos))) each(*name);
    pos = end + 1;
  }
}

}  // namespace

std::string WorkloadSpec::label() const {
  switch (kind) {
    case Kind::primes:
      return "primes";
    case Kind::builtin:
      return std::string(k_builtin_prefix) + name;
    case Kind::file:
      return fmt::format("file:{}:{}{}", name, function,
                         params.empty() ? std::string() : "[" + params + "]");
  }
  return "primes";
}

const std::vector<std::string>& builtin_names() {
  static const std::vector<std::string> names{"objects",       "methods",       "generators",
                                              "dict-mutation", "list-mutation", "shared-reads"};
  return names;
}

WorkloadSpec parse_workload(std::string_view text) {
  WorkloadSpec spec;
  if (text.empty() || text == "primes") return spec;
  if (text.starts_with(k_builtin_prefix)) {
    const std::string name(text.substr(k_builtin_prefix.size()));
    const auto& names = builtin_names();
    if (std::find(names.begin(), names.end(), name) == names.end())
      throw usage_error(
          fmt::format("--workload {}: there is no built-in workload '{}'; pass one of builtin:{}",
                      text, name, fmt::join(names, ", builtin:")));
    spec.kind = WorkloadSpec::Kind::builtin;
    spec.name = name;
    return spec;
  }
  // FILE.py[:FUNCTION][[PARAMS]]: the parameters end the text; the function part is what
  // follows the last ':' after ".py".
  const std::string_view whole = text;
  std::string params;
  if (text.ends_with(']')) {
    const auto open = text.rfind('[');
    if (open != std::string_view::npos) {
      params = std::string(text.substr(open + 1, text.size() - open - 2));
      text = text.substr(0, open);
      if (const auto bad = bad_param(params))
        throw usage_error(fmt::format(
            "--workload {}: '{}' is not a parameter; pass FILE.py:FUNCTION[NAME=VALUE,...] with "
            "each NAME an identifier and each VALUE of letters, digits, '.', '_', '+' and '-' "
            "(a number, True, False or None, else passed as a string)",
            whole, *bad));
    }
  }
  const auto py = text.rfind(".py");
  if (py == std::string_view::npos || (py + 3 != text.size() && text[py + 3] != ':'))
    throw usage_error(fmt::format(
        "--workload {}: pass primes, builtin:NAME (one of {}) or a Python file FILE.py with an "
        "optional :FUNCTION (default {}), a function that takes an index and returns a value",
        whole, fmt::join(builtin_names(), ", "), k_default_function));
  spec.kind = WorkloadSpec::Kind::file;
  spec.file = std::string(text.substr(0, py + 3));
  spec.name = spec.file.filename().string();
  spec.function_defaulted = py + 3 == text.size();
  spec.function =
      spec.function_defaulted ? std::string(k_default_function) : std::string(text.substr(py + 4));
  spec.params = std::move(params);
  if (spec.function.find('.') != std::string::npos || !python::is_module_name(spec.function))
    throw usage_error(fmt::format(
        "--workload {}: '{}' is not a function name; pass FILE.py:FUNCTION with FUNCTION a "
        "module-level function of FILE.py (default {})",
        whole, spec.function, k_default_function));
  return spec;
}

std::optional<WorkloadSpec> spec_from_label(std::string_view label) {
  constexpr std::string_view k_file_prefix = "file:";
  WorkloadSpec spec;
  if (label == "primes") return spec;
  if (label.starts_with(k_builtin_prefix)) {
    const std::string name(label.substr(k_builtin_prefix.size()));
    const auto& names = builtin_names();
    if (std::find(names.begin(), names.end(), name) == names.end()) return std::nullopt;
    spec.kind = WorkloadSpec::Kind::builtin;
    spec.name = name;
    return spec;
  }
  if (!label.starts_with(k_file_prefix)) return std::nullopt;
  auto rest = label.substr(k_file_prefix.size());
  if (rest.ends_with(']')) {
    const auto open = rest.rfind('[');
    if (open == std::string_view::npos) return std::nullopt;
    spec.params = std::string(rest.substr(open + 1, rest.size() - open - 2));
    if (bad_param(spec.params)) return std::nullopt;
    rest = rest.substr(0, open);
  }
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size())
    return std::nullopt;
  spec.kind = WorkloadSpec::Kind::file;
  spec.name = std::string(rest.substr(0, colon));
  spec.file = spec.name;
  spec.function = std::string(rest.substr(colon + 1));
  return spec;
}

std::vector<std::string> benchmark_functions(std::string_view text) {
  std::vector<std::string> names;
  top_level_functions(text, [&names](std::string_view name) {
    if (name.starts_with(k_benchmark_prefix) &&
        std::find(names.begin(), names.end(), name) == names.end())
      names.emplace_back(name);
  });
  return names;
}

bool defines_function(std::string_view text, std::string_view name) {
  bool found = false;
  top_level_functions(text, [&](std::string_view each) { found = found || each == name; });
  return found;
}

Expected<ResolvedWorkload> resolve_workload(WorkloadSpec spec, const RepositoryRootOf& root_of) {
  if (spec.kind != WorkloadSpec::Kind::file) return ResolvedWorkload{std::move(spec), {}, {}};
  const std::string given = spec.file.string();
  // Once, by the kernel: a lexical reading of "link/../w.py" names another file than open().
  std::error_code ec;
  const auto real = std::filesystem::canonical(spec.file, ec);
  if (ec)
    return fail(fmt::format(
        "--workload {}: cannot read {}: {}; check the path (relative paths are from the current "
        "directory)",
        given, given, ec.message()));
  auto text = util::read_regular_file(real, k_max_workload_file_bytes, "a workload file");
  if (!text) return fail(fmt::format("--workload {}: {}", given, text.error().message));

  std::filesystem::path root;
  if (auto top = root_of(real.parent_path())) root = std::filesystem::weakly_canonical(*top, ec);
  if (root.empty() || ec) root = std::filesystem::current_path(ec);
  const auto relative = real.lexically_relative(root);
  const bool inside = !ec && !relative.empty() && *relative.begin() != "..";
  spec.name = inside ? relative.generic_string() : real.generic_string();
  spec.file = real;
  std::vector<std::string> benchmarks;
  if (spec.function_defaulted && !defines_function(*text, k_default_function)) {
    benchmarks = benchmark_functions(*text);
    if (benchmarks.size() == 1) spec.function = benchmarks.front();
    if (benchmarks.size() <= 1) benchmarks.clear();
  }
  return ResolvedWorkload{std::move(spec), util::sha256_hex(*text), std::move(benchmarks)};
}

std::optional<std::string> changed_file_note(const WorkloadSpec& spec,
                                             const std::optional<std::string>& baseline_digest,
                                             const std::optional<std::string>& run_digest) {
  if (spec.kind != WorkloadSpec::Kind::file || !baseline_digest || !run_digest ||
      *baseline_digest == *run_digest)
    return std::nullopt;
  return fmt::format(
      "The workload file {} changed since the baseline was recorded (SHA-256 {} then, {} now): "
      "a change in speedup may come from the file rather than the interpreter or the machine.",
      spec.file.string(), baseline_digest->substr(0, 12), run_digest->substr(0, 12));
}

}  // namespace gilguard::workload
