#pragma once

#include <array>
#include <initializer_list>
#include <string_view>

#include "gilguard/util/process.hpp"

namespace gilguard::python {

// Variables every interpreter or build child may see: PATH, HOME, LANG, LC_ALL, TMPDIR.
inline constexpr std::array<std::string_view, 5> k_base_variables = {"PATH", "HOME", "LANG",
                                                                     "LC_ALL", "TMPDIR"};

// The allow-listed variables (the base ones plus `extra`) copied from `from`; nothing else,
// so tokens and secrets in gilguard's own environment never reach a child.
util::Environment minimal_environment(const util::Environment& from,
                                      std::initializer_list<std::string_view> extra = {});

}  // namespace gilguard::python
