#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gilguard/baseline/baseline.hpp"
#include "gilguard/core/error.hpp"

namespace gilguard::baseline {

// Where the baseline for `key` lives: "<dir>/<key>.json".
std::filesystem::path baseline_path(const std::filesystem::path& dir, const std::string& key);

// Reads and validates <dir>/<key>.json; nullopt when that file does not exist in a readable
// `dir` (or `dir` does not exist). Errors start with "baseline file <path>: " and then give the
// line and column (syntax) or the field path; a file whose "key" is not `key` is an error too,
// and so is a `dir` that cannot be used (a regular file, a folder that cannot be read, a
// symlink loop): a misconfigured --baselines must never read as "no baseline yet".
Expected<std::optional<Baseline>> load(const std::filesystem::path& dir, const std::string& key);

// Writes <dir>/<baseline.key>.json atomically (temporary file, fsync, rename), creating `dir`,
// after checking that the text loads back by the loader's rules (nothing is written when it
// would not). Returns the path written.
Expected<std::filesystem::path> save(const std::filesystem::path& dir, const Baseline& baseline);

// Every baseline in `dir` ("*.json", hidden files such as leftover temporary files skipped),
// validated, sorted by key; empty when `dir` does not exist, an error when it cannot be used.
Expected<std::vector<Baseline>> list(const std::filesystem::path& dir);

}  // namespace gilguard::baseline
