#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "gilguard/core/error.hpp"
#include "gilguard/util/process.hpp"

namespace gilguard::python {

// A GIL and a free-threaded interpreter to compare, and where they were found.
struct InterpreterPair {
  std::filesystem::path gil;
  std::filesystem::path ft;
  // "options", "environment (GILGUARD_PYTHON_GIL, GILGUARD_PYTHON_FT)", "PATH (python3.13,
  // python3.13t)" or "build cache <dir>": for progress messages and reports.
  std::string origin;
};

// Finds the pair in the order DESIGN.md gives: the options (--gil/--ft), then the environment
// variables GILGUARD_PYTHON_GIL / GILGUARD_PYTHON_FT (each flavour from the first that sets
// it), then the highest python3.X on `env`'s PATH that has a python3.Xt beside it on PATH,
// then the newest pair of finished builds of one source in the default build cache. Fails with
// what to do when nothing is found or only one flavour was given.
Expected<InterpreterPair> find_interpreters(const std::optional<std::filesystem::path>& gil_option,
                                            const std::optional<std::filesystem::path>& ft_option,
                                            const util::Environment& env);

}  // namespace gilguard::python
