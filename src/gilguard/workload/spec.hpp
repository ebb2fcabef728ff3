#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/error.hpp"

namespace gilguard::workload {

// Called for every index when a user file names no function: FILE.py means FILE.py:workload,
// or, in a file without that function, each of its benchmarks (k_benchmark_prefix).
inline constexpr std::string_view k_default_function = "workload";

// A file's benchmarks are its top-level functions whose names start with this.
inline constexpr std::string_view k_benchmark_prefix = "bench_";

// The largest workload file gilguard reads and digests: a function to call, not a data set
// (data it needs can sit in a module beside it that it imports).
inline constexpr std::size_t k_max_workload_file_bytes = std::size_t{1} << 20;

// What --workload names: the prime benchmark, a built-in of the suite, or a function in a file.
struct WorkloadSpec {
  enum class Kind { primes, builtin, file };
  Kind kind = Kind::primes;
  // The built-in's name ("objects"); for a file, its name in label(): the file's name as
  // parse_workload reads it, its path in its repository once resolve_workload has run
  // ("bench/parse.py"). Empty for primes.
  std::string name;
  std::filesystem::path file;  // Kind::file: the Python file: as given, then its real path
  std::string function;        // Kind::file: the function called with each index
  // Kind::file: the keyword arguments the function is called with besides the index, as given
  // ("size=1000,mode=fast"; empty: none): FILE.py:FUNCTION[PARAMS].
  std::string params;
  // Kind::file: true when no function was named (FILE.py), so resolve_workload may pick the
  // file's benchmarks instead of k_default_function.
  bool function_defaulted = false;

  // The name recorded in the results and joined into the baseline key: "primes",
  // "builtin:objects", "file:bench/parse.py:parse_one", "file:bench/parse.py:bench_a[size=10]".
  std::string label() const;

  friend bool operator==(const WorkloadSpec&, const WorkloadSpec&) = default;
};

// The names of the built-in suite, in the order `--help` lists them.
const std::vector<std::string>& builtin_names();

// Reads "primes", "builtin:NAME" or "FILE.py[:FUNCTION][[PARAMS]]" (PARAMS: NAME=VALUE pairs
// separated by commas, each VALUE of letters, digits and . _ + -); throws a usage Failure that
// names the value and the fix (the built-in names, the .py suffix, an identifier for the
// function, the form of a parameter).
WorkloadSpec parse_workload(std::string_view text);

// The top-level functions of a Python file's text whose names start with k_benchmark_prefix
// ("def bench_x(" at the start of a line), in the file's order, each once.
std::vector<std::string> benchmark_functions(std::string_view text);

// True when the text defines a top-level function `name` ("def name(" at the start of a line).
bool defines_function(std::string_view text, std::string_view name);

// The spec a label() names, for reading results files: a file's spec has the path the label
// holds (in its repository) as both name and file. nullopt when `label` is no label of this
// gilguard (an unknown built-in, an unknown form).
std::optional<WorkloadSpec> spec_from_label(std::string_view label);

// The top of the git work tree that holds a directory, or nullopt outside any
// (git::work_tree_containing in the CLI; a fake in tests).
using RepositoryRootOf =
    std::function<std::optional<std::filesystem::path>(const std::filesystem::path&)>;

// A workload as it runs, with the SHA-256 of a file workload's content (nullopt for the other
// kinds), recorded with its results so a changed file is told apart from a changed interpreter.
struct ResolvedWorkload {
  WorkloadSpec spec;
  std::optional<std::string> digest;
  // FILE.py named without a function, in a file without k_default_function that defines several
  // benchmarks: their names, each to be measured as its own workload (FILE.py:NAME); the spec's
  // function is then none of them. Empty otherwise.
  std::vector<std::string> benchmarks;
};

// For a file workload: resolves the path once, as the kernel does (symlinks, then ".."), reads
// the file there (a regular file of at most k_max_workload_file_bytes: a FIFO or a device fails
// at once) and digests what it read; the spec's file becomes that real path, which the children
// run, so the file digested is the file that runs. Its name becomes its path relative to
// `root_of` the file's directory, else to the current directory, else its absolute path, so two
// files of one name in two folders have two labels, two baseline keys and two histories. Other
// kinds are returned as they are. FILE.py without a function runs k_default_function when the
// file defines it, else its one benchmark, else (several) lists them in `benchmarks`. Fails
// naming the file and the fix.
Expected<ResolvedWorkload> resolve_workload(WorkloadSpec spec, const RepositoryRootOf& root_of);

// The sentence a report shows when the file's digest differs from the baseline's, or nullopt
// when they agree (or either is unknown).
std::optional<std::string> changed_file_note(const WorkloadSpec& spec,
                                             const std::optional<std::string>& baseline_digest,
                                             const std::optional<std::string>& run_digest);

}  // namespace gilguard::workload
