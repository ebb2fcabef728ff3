#pragma once

#include <string>
#include <string_view>

// The secrets gilguard is given (the GitHub token), kept where the code it runs cannot read
// them. A process of the same user may read another's /proc/PID/environ, cmdline and memory
// unless that process is non-dumpable (or the reader has CAP_SYS_PTRACE, as root does), and
// /proc/PID/environ shows the environment block the process started with, whatever unsetenv()
// did since. So at start-up, before any child: gilguard makes itself non-dumpable, copies each
// secret into its own memory, drops the variable from its environment and overwrites its entry
// in the original environment block (and the option's value in its command line). The rest of
// gilguard gets the token from here (github_token()), never from the environment. docs/security.md.
namespace gilguard::util {

// Environment variables taken out of gilguard's environment at start-up. Only GITHUB_TOKEN is
// used (the pull request comment); the others are runner and CLI tokens gilguard never needs,
// wiped so that no code it runs finds them in its block either.
inline constexpr std::string_view k_secret_variables[] = {
    "GITHUB_TOKEN", "GH_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"};

// Options whose value is a secret: overwritten in argv by wipe_secret_options.
inline constexpr std::string_view k_secret_options[] = {"--github-token"};

// Call first in main, before anything reads the environment or starts a thread or a child:
// prctl(PR_SET_DUMPABLE, 0), then each variable of k_secret_variables kept, unset, and its entry
// (name and value) overwritten in place in the environment block. Returns false when the process
// could not be made non-dumpable (the variables are taken all the same).
bool protect_secrets();

// Overwrites the value of each option of k_secret_options ("--github-token VALUE" or
// "--github-token=VALUE") in argv, whose strings are what /proc/PID/cmdline shows, with 'x's.
// Call after the command line was parsed (the parser keeps its own copy) and before any child.
void wipe_secret_options(int argc, char** argv);

// The GITHUB_TOKEN gilguard started with ("" when it had none), as protect_secrets kept it.
const std::string& github_token();

}  // namespace gilguard::util
