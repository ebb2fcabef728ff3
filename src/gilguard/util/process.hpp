#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gilguard/core/error.hpp"
#include "gilguard/util/cgroup.hpp"

namespace gilguard::util {

// The environment handed to a child: exactly these variables, nothing inherited.
using Environment = std::map<std::string, std::string>;

struct ProcessOptions {
  std::optional<std::filesystem::path> working_directory;
  // Killed, with its whole process group, after this long. Zero means no limit.
  std::chrono::milliseconds timeout{0};
  // Where stdout/stderr go; when unset they are captured into ProcessResult.
  std::optional<std::filesystem::path> stdout_file;
  std::optional<std::filesystem::path> stderr_file;
  // Written to the child's stdin, then closed; stdin is /dev/null when empty.
  std::string stdin_data;
  // Captured output beyond this many bytes per stream is dropped (the tail is kept).
  std::size_t max_capture_bytes = 64 * 1024 * 1024;
  // Where set, the child starts inside this cgroup, and when it ends every process left in the
  // cgroup is killed too (those that left its process group included). Not owned.
  ChildCgroup* cgroup = nullptr;
  // Where set, the child gets the write end of a pipe of its own at this descriptor number (a
  // report channel apart from stdout, which the code it runs shares), and no other descriptor
  // above stderr; what it writes there is captured into ProcessResult::report_text like stdout
  // (max_capture_bytes, the tail kept).
  std::optional<int> report_fd;
};

struct ProcessResult {
  int exit_code = -1;  // valid when signal == 0
  int signal = 0;      // the signal that ended the child, or 0
  bool timed_out = false;
  std::string stdout_text;
  std::string stderr_text;
  double wall_seconds = 0;
  double cpu_seconds = 0;   // user + system of the child and its reaped descendants
  std::string report_text;  // what the child wrote to ProcessOptions::report_fd

  // True when the child exited normally with status 0.
  bool success() const { return !timed_out && signal == 0 && exit_code == 0; }
  // "exit status 3", "killed by signal 9 (SIGKILL)", "timed out after 2.0 s".
  std::string describe() const;
};

// Runs argv[0] (searched on PATH from `env` when it has no slash) with exactly `env`, in a
// new process group, via posix_spawn. Fails only when the child cannot be started.
Expected<ProcessResult> run_process(const std::vector<std::string>& argv, const Environment& env,
                                    const ProcessOptions& options = {});

// Makes SIGINT, SIGTERM and SIGHUP end the children run_process is running (SIGTERM to each
// child's process group, which a terminal's Ctrl-C does not reach) before gilguard dies of the
// same signal. Call once at start-up; signals ignored at start-up stay ignored.
void end_children_on_termination_signals();

// The current process's environment as a map (for callers that pass it on deliberately).
Environment current_environment();

// Looks `program` up on PATH (as given in env), returning its full path.
std::optional<std::filesystem::path> find_on_path(const std::string& program,
                                                  const Environment& env);

// The last `max_lines` lines of text, for error messages.
std::string tail_lines(const std::string& text, std::size_t max_lines);

}  // namespace gilguard::util
