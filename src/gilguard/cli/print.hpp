#pragma once

#include <cstdio>
#include <string_view>

namespace gilguard::cli {

// Prints `text` to `stream` through report::defuse_commands: gilguard's messages carry outside
// text (paths, keys, fields of files, child output, environment values), and no line of it may
// become a workflow command or a terminal escape sequence.
void print_defused(std::FILE* stream, std::string_view text);

// print_defused to stderr: progress, notes and errors.
inline void print_stderr(std::string_view text) { print_defused(stderr, text); }

}  // namespace gilguard::cli
