#include "gilguard/cli/parse_error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <string_view>
#include <vector>

namespace gilguard::cli {
namespace {

constexpr std::string_view k_usage_hint =
    "Run 'gilguard --help' or 'gilguard COMMAND --help' for usage.";

bool missing_subcommand(const CLI::ParseError& error) {
  return dynamic_cast<const CLI::RequiredError*>(&error) != nullptr &&
         std::string_view(error.what()) == CLI::RequiredError::Subcommand(1).what();
}

}  // namespace

std::string describe_parse_error(const CLI::App& app, const CLI::ParseError& error,
                                 std::span<char* const> args) {
  if (!missing_subcommand(error))
    return fmt::format("gilguard: error: {}\n{}\n", error.what(), k_usage_hint);
  // The deepest command the parse entered is the one still missing its own command; the word
  // where that command was expected is the first non-option argument after its name.
  const CLI::App* level = &app;
  std::string path = "gilguard";
  std::size_t next = 0;
  while (!level->get_subcommands().empty()) {
    level = level->get_subcommands().front();
    path += " " + level->get_name();
    while (next < args.size() && std::string_view(args[next]) != level->get_name()) ++next;
    if (next < args.size()) ++next;
  }
  std::vector<std::string> names;
  for (const auto* sub :
       level->get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); }))
    names.push_back(sub->get_name());
  std::string_view word;
  for (; next < args.size() && word.empty(); ++next)
    if (!std::string_view(args[next]).starts_with('-')) word = args[next];
  if (word.empty())
    return fmt::format(
        "gilguard: error: '{}' needs a command: one of {}.\nRun '{} --help' for what "
        "each does.\n",
        path, fmt::join(names, ", "), path);
  return fmt::format(
      "gilguard: error: '{}' is not a command of '{}'; the commands are {}.\nRun "
      "'{} --help' for what each does.\n",
      word, path, fmt::join(names, ", "), path);
}

}  // namespace gilguard::cli
