#pragma once

#include <functional>

#include "gilguard/core/error.hpp"

namespace CLI {
class App;
}

namespace gilguard::cli {

// What the selected subcommand does once parsing has succeeded.
using Action = std::function<ExitCode()>;

// Each adds one subcommand (with its --help) to `app`; when the user picks it, its callback
// stores the work in `action`, which run_main then runs inside the one catch site.
void add_build_command(CLI::App& app, Action& action);
void add_probe_command(CLI::App& app, Action& action);
void add_run_command(CLI::App& app, Action& action);
void add_compare_command(CLI::App& app, Action& action);
void add_report_command(CLI::App& app, Action& action);
void add_comment_command(CLI::App& app, Action& action);
void add_check_command(CLI::App& app, Action& action);
void add_imports_command(CLI::App& app, Action& action);
void add_baseline_command(CLI::App& app, Action& action);
void add_checkout_command(CLI::App& app, Action& action);

}  // namespace gilguard::cli
