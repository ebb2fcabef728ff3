#include "gilguard/cli/print.hpp"

#include <fmt/format.h>

#include "gilguard/report/annotations.hpp"

namespace gilguard::cli {

void print_defused(std::FILE* stream, std::string_view text) {
  fmt::print(stream, "{}", report::defuse_commands(text));
}

}  // namespace gilguard::cli
