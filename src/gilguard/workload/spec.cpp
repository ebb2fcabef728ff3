#include "gilguard/workload/spec.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "gilguard/python/imports.hpp"
#include "gilguard/util/files.hpp"
#include "gilguard/util/sha256.hpp"

namespace gilguard::workload {
namespace {

constexpr std::string_view k_builtin_prefix = "builtin:";

}  // namespace

std::string WorkloadSpec::label() const {
  switch (kind) {
    case Kind::primes:
      return "primes";
    case Kind::builtin:
      return std::string(k_builtin_prefix) + name;
    case Kind::file:
      return fmt::format("file:{}:{}", name, function);
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
  // FILE.py[:FUNCTION]: the function part is what follows the last ':' after ".py".
  const auto py = text.rfind(".py");
  if (py == std::string_view::npos || (py + 3 != text.size() && text[py + 3] != ':'))
    throw usage_error(fmt::format(
        "--workload {}: pass primes, builtin:NAME (one of {}) or a Python file FILE.py with an "
        "optional :FUNCTION (default {}), a function that takes an index and returns a value",
        text, fmt::join(builtin_names(), ", "), k_default_function));
  spec.kind = WorkloadSpec::Kind::file;
  spec.file = std::string(text.substr(0, py + 3));
  spec.name = spec.file.filename().string();
  spec.function =
      py + 3 == text.size() ? std::string(k_default_function) : std::string(text.substr(py + 4));
  if (spec.function.find('.') != std::string::npos || !python::is_module_name(spec.function))
    throw usage_error(fmt::format(
        "--workload {}: '{}' is not a function name; pass FILE.py:FUNCTION with FUNCTION a "
        "module-level function of FILE.py (default {})",
        text, spec.function, k_default_function));
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
  const auto rest = label.substr(k_file_prefix.size());
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size())
    return std::nullopt;
  spec.kind = WorkloadSpec::Kind::file;
  spec.name = std::string(rest.substr(0, colon));
  spec.file = spec.name;
  spec.function = std::string(rest.substr(colon + 1));
  return spec;
}

Expected<ResolvedWorkload> resolve_workload(WorkloadSpec spec, const RepositoryRootOf& root_of) {
  if (spec.kind != WorkloadSpec::Kind::file) return ResolvedWorkload{std::move(spec), {}};
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
  return ResolvedWorkload{std::move(spec), util::sha256_hex(*text)};
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
