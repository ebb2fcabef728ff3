#include <CLI/CLI.hpp>

#include "gilguard/cli/commands.hpp"

namespace gilguard::cli {

// Placeholder until the command is implemented: it is listed, and says so when run.
void add_compare_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand("compare", "(not implemented yet)");
  sub->callback([&action] {
    action = []() -> ExitCode { throw usage_error("'gilguard compare' is not implemented yet"); };
  });
}

}  // namespace gilguard::cli
