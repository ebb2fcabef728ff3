#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/error.hpp"

namespace gilguard::workload {

// Called for every index when a user file names no function: FILE.py means FILE.py:workload.
inline constexpr std::string_view k_default_function = "workload";

// What --workload names: the prime benchmark, a built-in of the suite, or a function in a file.
struct WorkloadSpec {
  enum class Kind { primes, builtin, file };
  Kind kind = Kind::primes;
  std::string name;            // the built-in's name ("objects"); empty otherwise
  std::filesystem::path file;  // Kind::file: the Python file, as given
  std::string function;        // Kind::file: the function called with each index

  // The name recorded in the results and joined into the baseline key: "primes",
  // "builtin:objects", "file:bench_parse.py:parse_one" (the file's name, not its directory).
  std::string label() const;

  bool is_primes() const { return kind == Kind::primes; }

  friend bool operator==(const WorkloadSpec&, const WorkloadSpec&) = default;
};

// The names of the built-in suite, in the order `--help` lists them.
const std::vector<std::string>& builtin_names();

// Reads "primes", "builtin:NAME" or "FILE.py[:FUNCTION]"; throws a usage Failure that names the
// value and the fix (the built-in names, the .py suffix, an identifier for the function).
WorkloadSpec parse_workload(std::string_view text);

// The spec a label() names, for reading results files: a file's spec has the file's name only
// (label() keeps no directory). nullopt when `label` is no label of this gilguard (an unknown
// built-in, an unknown form).
std::optional<WorkloadSpec> spec_from_label(std::string_view label);

// SHA-256 of a file workload's content, recorded with its results so a changed file is told
// apart from a changed interpreter; nullopt for the other kinds. Fails naming the file.
Expected<std::optional<std::string>> workload_digest(const WorkloadSpec& spec);

// The sentence a report shows when the file's digest differs from the baseline's, or nullopt
// when they agree (or either is unknown).
std::optional<std::string> changed_file_note(const WorkloadSpec& spec,
                                             const std::optional<std::string>& baseline_digest,
                                             const std::optional<std::string>& run_digest);

}  // namespace gilguard::workload
