#include "gilguard/cli/run_main.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <exception>

#include "gilguard/cli/commands.hpp"
#include "gilguard/cli/parse_error.hpp"
#include "gilguard/cli/print.hpp"
#include "gilguard/util/process.hpp"
#include "gilguard/util/secrets.hpp"
#include "gilguard/version.hpp"

namespace gilguard::cli {

int run_main(int argc, char** argv) {
  // Before anything else, and before any child: the token out of reach of the code gilguard
  // runs (util/secrets.hpp), and every process a child leaves behind adopted by gilguard, to be
  // ended with that child (util::run_process). docs/security.md.
  const bool non_dumpable = util::protect_secrets();
  const auto subreaper = util::become_child_subreaper();
  // A child that closes its stdin early must not kill gilguard.
  std::signal(SIGPIPE, SIG_IGN);
  // Ctrl-C ends a CPython build or a benchmark child too, not only gilguard.
  util::end_children_on_termination_signals();

  CLI::App app{
      "gilguard: measures how CPython scales with threads, with and without the GIL, and\n"
      "catches regressions in free-threaded speedup against baselines kept in the repository.\n"
      "Exit codes: 0 no regression, 1 regression or failed check, 2 usage or tool error."};
  app.name("gilguard");
  app.set_version_flag("--version", fmt::format("gilguard {}", k_version));
  app.require_subcommand(1);
  app.fallthrough(false);

  Action action;
  add_build_command(app, action);
  add_probe_command(app, action);
  add_run_command(app, action);
  add_compare_command(app, action);
  add_report_command(app, action);
  add_comment_command(app, action);
  add_check_command(app, action);
  add_imports_command(app, action);
  add_baseline_command(app, action);
  add_checkout_command(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_stderr(describe_parse_error(app, e, {argv + 1, argv + argc}));
    return static_cast<int>(ExitCode::usage);
  }
  // CLI11 keeps its own copy: the token on the command line is no longer needed there.
  util::wipe_secret_options(argc, argv);
  if (!non_dumpable)
    print_stderr(
        "gilguard: warning: could not make this process non-dumpable (prctl PR_SET_DUMPABLE): "
        "code it runs as the same user may read its memory\n");
  if (!subreaper)
    print_stderr(
        fmt::format("gilguard: warning: {}; processes a child leaves behind that leave "
                    "its process group are not ended with it\n",
                    subreaper.error().message));

  try {
    if (!action) return static_cast<int>(ExitCode::usage);
    return static_cast<int>(action());
  } catch (const Failure& e) {
    print_stderr(fmt::format("gilguard: error: {}\n", e.what()));
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    print_stderr(
        fmt::format("gilguard: internal error: {}\nPlease report this as a bug.\n", e.what()));
    return static_cast<int>(ExitCode::usage);
  }
}

}  // namespace gilguard::cli
