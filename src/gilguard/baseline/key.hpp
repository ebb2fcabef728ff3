#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gilguard/core/error.hpp"
#include "gilguard/core/run_result.hpp"

namespace gilguard::baseline {

// Longest key accepted; the file name is "<key>.json".
inline constexpr std::size_t k_max_key_length = 128;

// What a baseline key is made of: the runner class and the workload with its parameters.
struct KeyParts {
  std::string os;    // "linux"
  std::string arch;  // "x86_64"
  int usable_cpus = 0;
  std::string gil_python;  // major.minor of each interpreter, "3.13"
  std::string ft_python;
  std::string workload;  // the workload's label: "primes", "builtin:objects", "file:w.py:f"
  std::int64_t range = 0;
  bool range_sized = false;  // sized in each run's warm-up: the range part is "rauto"
};

// The parts of the key for a run's results.
KeyParts key_parts(const RunResult& result);

// "<os>-<arch>-cpu<N>-py<M.m>-<workload>-r<range>", e.g.
// "linux-x86_64-cpu2-py3.13-primes-r1000000" or "linux-x86_64-cpu2-py3.13-builtin_objects-rauto"
// (a range sized in each run's warm-up differs between machines, so the key does not hold it,
// and the next run on another machine of the class finds the same file). When the two interpreters
// differ in major.minor the Python part is "py<gil>-<ft>t" ("py3.13-3.14t"). Each part is
// lower-cased and any character outside [a-z0-9._] becomes '_', so the key is always a valid file
// name. A workload part that would make the key longer than k_max_key_length (a file deep in its
// repository: "file_bench_parsers_json_w.py_f") is cut and ends with 8 hex digits of its SHA-256,
// so two long labels still make two keys, and the range part stays.
std::string make_key(const KeyParts& parts);

// make_key(key_parts(result)); for an A/B run the head's key followed by "-base-py<M.m>" (the
// base pair's major.minor, as make_key writes it), e.g.
// "linux-x86_64-cpu2-py3.14-primes-r30000-base-py3.13": an A/B run reads no baseline file, but
// its key names the pair of versions compared, for the reports and the sticky comment.
std::string derive_key(const RunResult& result);

// Succeeds when `key` can name a baseline file: 1 to 128 characters from [A-Za-z0-9._-],
// starting with a letter or digit. The error says which rule was broken and lists the rules.
Expected<void> validate_key(std::string_view key);

}  // namespace gilguard::baseline
