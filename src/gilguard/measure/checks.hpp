#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/import_check.hpp"
#include "gilguard/core/interpreter.hpp"
#include "gilguard/core/run_result.hpp"

namespace gilguard::measure {

// Turns every ok sample whose sequential or threaded count differs from `expected` into a
// failed one, so no summary uses a wrong result.
void mark_wrong_counts(std::vector<Sample>& samples, std::int64_t expected, std::int64_t range);

// For workloads other than primes: turns every ok sample into a failed one ("wrong result: ...",
// kind "wrong-result") whose folded results disagree: sequential against threaded, against the
// process reference when measured, and against the built-in's closed-form `expected` when the
// sample carries one.
void mark_wrong_results(std::vector<Sample>& samples, std::string_view workload);

// A sample's warning that CPython printed on the child's stderr rather than to the workload's
// catch_warnings block starts with this: it was raised at start-up (site running a .pth file or
// sitecustomize), before the workload began.
inline constexpr std::string_view k_startup_warning_prefix = "at start-up: ";

// The module named by a "GIL has been enabled to load module 'x'" RuntimeWarning, if any.
std::optional<std::string> module_reenabling_gil(const std::vector<std::string>& warnings);

// The failed checks in the samples, one per cell and kind ("wrong-count", "wrong-result", "crash",
// "timeout",
// "gil-enabled", "wrong-flavor"), each saying in how many rounds, what happened first and what
// to do. `gil_override` is the PYTHON_GIL gilguard passed on, named when it explains a GIL.
std::vector<CheckFailure> check_samples(const std::vector<Sample>& samples,
                                        const std::optional<std::string>& gil_override);

// "wrong-flavor" failures when the --gil interpreter is free-threaded or the --ft one has the
// GIL in its build (from the probe facts). `prefix` names the option pair: "" for --gil/--ft,
// "base-" for --base-gil/--base-ft.
std::vector<CheckFailure> check_interpreters(const InterpreterFacts& gil,
                                             const InterpreterFacts& ft,
                                             std::string_view prefix = "");

// The failed checks of the --import probes of `ft_python`: "import-failed" for a module that
// could not be imported (with its traceback's last lines), "import-gil" for one whose import
// switched the GIL on (naming every module CPython named), and one "gil-enabled" when the GIL
// was on before any import, at start-up (naming the modules site loaded).
std::vector<CheckFailure> check_imports(const std::vector<ImportCheck>& imports,
                                        const std::string& ft_python);

}  // namespace gilguard::measure
