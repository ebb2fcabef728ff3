#pragma once

#include <span>
#include <string>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace gilguard::cli {

// The message for a command line CLI11 refused: what is wrong and the fix. A missing or unknown
// command ("gilguard frobnicate", "gilguard baseline") is named with the commands there are,
// where CLI11 only says "A subcommand is required"; other errors keep CLI11's words. `args` is
// argv without the program name. Ends with a newline.
std::string describe_parse_error(const CLI::App& app, const CLI::ParseError& error,
                                 std::span<char* const> args);

}  // namespace gilguard::cli
