#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/import_check.hpp"
#include "gilguard/util/process.hpp"

namespace gilguard::python {

// How long one module's import probe may run before it is killed with its process group.
inline constexpr std::chrono::milliseconds k_import_timeout{120'000};
// How long the probes of all --import modules may run together: a module that imports in
// seconds (numpy about 0.2 s, a large framework a few) leaves room for dozens, while a list of
// slow or hanging modules cannot hold a job for hours (k_import_timeout each). The modules not
// probed by then are named in a failed check.
inline constexpr std::chrono::milliseconds k_imports_time_limit{300'000};

// Traceback lines kept from a failed import.
inline constexpr std::size_t k_import_error_lines = 6;

// True for a dotted module name ("pkg.sub", non-ASCII letters allowed): Python identifiers
// joined by single dots.
bool is_module_name(std::string_view name);

// --import values as given (repeated, each possibly a comma- or newline-separated list) as one
// list of names in order, without blanks and repeats; throws a usage Failure naming a value that
// is not a module name.
std::vector<std::string> parse_import_list(const std::vector<std::string>& values);

// The Python source of the import probe (see import_probe_argv). It reports on the report
// channel GILGUARD_REPORT_FD names (util::ProcessOptions::report_fd; stdout without it), in lines
// "gilguard-import KEY VALUE", sys.flags.gil, the GIL state before and after the import, and
// the traceback of a failed import; on stderr it marks where start-up ends.
std::string_view import_probe_script();

// PYTHON -I -v [-X gil=V] -c SCRIPT MODULE: isolated like the workload's children, verbose so
// that CPython names every module that needs the GIL, not only the first one it warns about.
std::vector<std::string> import_probe_argv(const std::filesystem::path& python,
                                           const std::string& module,
                                           const std::optional<std::string>& gil_override);

// What a finished probe process of `module` reported (pure: its report channel, stderr and how
// it ended).
ImportCheck read_import_probe(const std::string& module, const util::ProcessResult& run);

// Imports `module` in a fresh process of `python` with exactly `env`; a process that cannot
// start, crashes or hangs is an ImportCheck with imported = false and the reason.
ImportCheck probe_import(const std::filesystem::path& python, const std::string& module,
                         const util::Environment& env,
                         const std::optional<std::string>& gil_override,
                         std::chrono::milliseconds timeout = k_import_timeout);

}  // namespace gilguard::python
