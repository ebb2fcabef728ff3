#include "gilguard/util/secrets.hpp"

#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace gilguard::util {
namespace {

// Runs `body` in a forked copy of this process (protect_secrets changes the process for good):
// "" when it returned "", else what it returned.
std::string in_forked_process(const std::function<std::string()>& body) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    const std::string problem = body();
    (void)!::write(fds[1], problem.data(), problem.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string problem;
  char buffer[1024];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) problem.append(buffer, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status)) problem += "the forked test process did not exit normally";
  return problem;
}

// The process is non-dumpable; GITHUB_TOKEN is kept, gone from the environment, and its entry's
// bytes (where environ pointed) are all zero; the other secret variables are gone too and the
// rest of the environment is left alone.
TEST(Secrets, TakesTheTokenOutOfTheEnvironmentAndMakesTheProcessNonDumpable) {
  const std::string problem = in_forked_process([]() -> std::string {
    ::setenv("GITHUB_TOKEN", "ghs_unitTestToken", 1);
    ::setenv("GH_TOKEN", "gh_other", 1);
    ::setenv("GILGUARD_KEPT", "yes", 1);
    char* entry = nullptr;
    for (char** e = environ; *e != nullptr; ++e)
      if (std::strncmp(*e, "GITHUB_TOKEN=", 13) == 0) entry = *e;
    if (entry == nullptr) return "no GITHUB_TOKEN entry to begin with";
    const std::size_t length = std::strlen(entry);
    if (!protect_secrets()) return "protect_secrets could not make the process non-dumpable";
    if (::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) return "the process is still dumpable";
    if (github_token() != "ghs_unitTestToken") return "kept: '" + github_token() + "'";
    if (std::getenv("GITHUB_TOKEN") != nullptr) return "GITHUB_TOKEN is still set";
    if (std::getenv("GH_TOKEN") != nullptr) return "GH_TOKEN is still set";
    if (std::getenv("GILGUARD_KEPT") == nullptr) return "another variable was dropped";
    for (std::size_t i = 0; i < length; ++i)
      if (entry[i] != '\0') return "the entry's bytes were not overwritten";
    return "";
  });
  EXPECT_EQ(problem, "");
}

// --github-token VALUE and --github-token=VALUE: the value's bytes become 'x's (same length, so
// the command line still parses), and nothing else changes.
TEST(Secrets, WipesTheTokenOptionsValueInArgv) {
  std::vector<std::string> storage = {
      "gilguard",  "check", "--github-token", "ghp_one", "--github-token=ghp_two",
      "--results", "r.json"};
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  wipe_secret_options(static_cast<int>(argv.size()), argv.data());
  EXPECT_STREQ(argv[3], "xxxxxxx");
  EXPECT_STREQ(argv[4], "--github-token=xxxxxxx");
  EXPECT_STREQ(argv[2], "--github-token");
  EXPECT_STREQ(argv[6], "r.json");
}

}  // namespace
}  // namespace gilguard::util
