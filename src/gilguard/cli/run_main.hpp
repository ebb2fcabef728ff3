#pragma once

namespace gilguard::cli {

// Parses the command line, runs the chosen subcommand and returns the process exit code
// (DESIGN.md: 0 no regression, 1 regression or failed check, 2 usage or tool error).
// The one place where exceptions are caught.
int run_main(int argc, char** argv);

}  // namespace gilguard::cli
