#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/interpreter.hpp"
#include "gilguard/core/run_result.hpp"

namespace gilguard::bench {

// Turns every ok sample whose sequential or threaded count differs from `expected` into a
// failed one, so no summary uses a wrong result.
void mark_wrong_counts(std::vector<Sample>& samples, std::int64_t expected, std::int64_t range);

// The module named by a "GIL has been enabled to load module 'x'" RuntimeWarning, if any.
std::optional<std::string> module_reenabling_gil(const std::vector<std::string>& warnings);

// The failed checks in the samples, one per cell and kind ("wrong-count", "crash", "timeout",
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

}  // namespace gilguard::bench
