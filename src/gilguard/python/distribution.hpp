#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/error.hpp"
#include "gilguard/util/process.hpp"

namespace gilguard::python {

// How long the discovery of one distribution's modules may run before it is killed.
inline constexpr std::chrono::milliseconds k_distribution_timeout{60'000};

// One compiled extension module an installed distribution ships.
struct ExtensionModule {
  std::string module;  // its dotted name, "pkg._speedups"
  std::string file;    // its path in the distribution's file list (RECORD),
                       // "pkg/_speedups.cpython-314t-x86_64-linux-gnu.so"

  friend bool operator==(const ExtensionModule&, const ExtensionModule&) = default;
};

// What the discovery script reported about one distribution.
struct DistributionModules {
  bool installed = false;      // false: importlib.metadata found no distribution of that name
  bool has_file_list = false;  // false: the distribution records no files (no RECORD)
  std::string name;            // as its metadata spells it
  std::string version;
  std::vector<ExtensionModule> modules;  // in the order of its file list
  // Files with an extension suffix that are no importable module: a path that is no dotted name
  // (a vendored library in "pkg.libs/"), or a library without the module's PyInit_ function.
  std::vector<std::string> skipped;

  friend bool operator==(const DistributionModules&, const DistributionModules&) = default;
};

// The Python source of the discovery (see distribution_argv). It reads the distribution's file
// list with importlib.metadata, keeps the files whose name ends with one of
// importlib.machinery.EXTENSION_SUFFIXES (the longest that fits), maps each path to its dotted
// module name ("pkg/__init__" names "pkg") and keeps those whose file defines the module's
// init function (PyInit_<name>; a non-ASCII name is kept as it is). It reports on the channel
// GILGUARD_REPORT_FD names (stdout without it), in lines "gilguard-dist KEY VALUE".
std::string_view distribution_script();

// PYTHON -I -c SCRIPT NAME: isolated like the benchmark's children, so it sees what they see.
std::vector<std::string> distribution_argv(const std::filesystem::path& python,
                                           const std::string& distribution);

// What a finished discovery process reported (pure: its report channel). Fails when the
// process did not finish its report, with how it ended and the last lines of its stderr.
Expected<DistributionModules> read_distribution_report(const util::ProcessResult& run);

// Runs the discovery of `distribution` in a fresh process of `python` with exactly `env`.
// Fails when the process cannot start or does not finish; an unknown distribution is a
// DistributionModules with installed = false.
Expected<DistributionModules> discover_distribution(
    const std::filesystem::path& python, const std::string& distribution,
    const util::Environment& env, std::chrono::milliseconds timeout = k_distribution_timeout);

// True for a name pip could install: letters, digits, '.', '_' and '-', starting and ending with
// a letter or digit (PEP 508's identifier).
bool is_distribution_name(std::string_view name);

}  // namespace gilguard::python
