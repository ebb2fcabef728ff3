#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/baseline/build_record_codec.hpp"
#include "gilguard/core/interpreter.hpp"
#include "gilguard/util/process.hpp"

namespace gilguard::python {

// Bumped whenever the way gilguard configures, builds or installs CPython changes, so that
// builds made the old way are not reused.
inline constexpr int k_build_recipe_version = 1;

// Variables passed to the build children beyond the base ones (when set); they enter the key.
inline constexpr std::array<std::string_view, 5> k_build_variables = {"CC", "CXX", "CFLAGS",
                                                                      "CPPFLAGS", "LDFLAGS"};

// Everything that decides what a cached build contains.
struct CacheKeyInputs {
  std::string source_identity;  // from source_identity()
  Flavor flavor = Flavor::gil;
  bool optimize = false;
  std::vector<std::string> configure_args;  // extra ones, in the order given (order matters)
  util::Environment build_variables;        // the k_build_variables that are set
};

// The canonical text the key is the hash of: one "name=value" line per input, fixed order.
std::string cache_key_text(const CacheKeyInputs& inputs);

// SHA-256 (hex) of cache_key_text.
std::string cache_key(const CacheKeyInputs& inputs);

// "<flavor>-<first 16 hex digits of key>": one flavour's directory under the prefix.
std::string build_directory_name(Flavor flavor, std::string_view key);

// configure's arguments (without the program): --prefix, --disable-gil for ft,
// --enable-optimizations --with-lto when optimizing, then the extra ones.
std::vector<std::string> configure_arguments(Flavor flavor, bool optimize,
                                             const std::vector<std::string>& extra,
                                             const std::filesystem::path& install_dir);

// $XDG_CACHE_HOME/gilguard/cpython, else $HOME/.cache/gilguard/cpython.
std::filesystem::path default_build_prefix(const util::Environment& env);

// CPUs this process may run on (sched_getaffinity), at least 1.
int usable_cpus();

// The record of a finished build in `build_dir`, when its complete.json is valid and its
// interpreter still exists; nullopt for a missing, failed or interrupted build.
std::optional<baseline::BuildRecord> read_complete_build(const std::filesystem::path& build_dir);

// Every finished build directly under `prefix` (for discovery), in no particular order.
std::vector<baseline::BuildRecord> list_complete_builds(const std::filesystem::path& prefix);

// What `gilguard build` was asked to do.
struct BuildRequest {
  std::filesystem::path source;
  // A revision of the git repository `source` (sha, branch, tag, HEAD~1) to build instead of
  // its work tree; empty: build `source` as it is.
  std::string ref;
  std::filesystem::path prefix;
  std::vector<Flavor> flavors;
  bool optimize = false;
  int jobs = 0;  // 0: usable_cpus()
  std::vector<std::string> configure_args;
  util::Environment environment;  // gilguard's own; children get only an allow-listed part
};

// Builds each requested flavour out of tree and installs it under the prefix, or reuses the
// finished build with the same key. With a ref, the revision's tree is checked out once into
// <prefix>/sources/tree-<first 16 hex digits of its id>/ (never into the repository's work
// tree or index) and keyed by its tree id, so every revision with that tree shares the build.
// Progress goes to `progress` (stderr; nullptr: silent). Throws Failure (exit 2) naming the phase,
// the log and its last lines when a step fails.
std::vector<baseline::BuiltInterpreter> build(const BuildRequest& request, std::FILE* progress);

}  // namespace gilguard::python
