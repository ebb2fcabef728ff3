#pragma once

#include <chrono>
#include <filesystem>

#include "gilguard/core/error.hpp"
#include "gilguard/core/interpreter.hpp"

namespace gilguard::python {

// How long an interpreter gets to report its facts before it is killed.
inline constexpr std::chrono::milliseconds k_probe_timeout{20'000};

// Runs `python` (a path, or a bare name looked up on PATH) in isolated mode (-I) with a minimal
// environment and a small script, and returns what it reports about itself. Fails, naming the
// path and what to do, when it is missing, not executable, not a Python 3 or hangs.
Expected<InterpreterFacts> probe(const std::filesystem::path& python,
                                 std::chrono::milliseconds timeout = k_probe_timeout);

}  // namespace gilguard::python
