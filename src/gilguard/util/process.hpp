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
  // After the child has ended, its stdout and stderr pipes are read for at most this long:
  // whatever it left behind and still holds them open (a process that escaped every kill) is
  // not waited for. ProcessResult::output_cut says when it was needed.
  std::chrono::milliseconds output_grace{1500};
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
  double cpu_seconds = 0;  // user + system of the child and its reaped descendants
  // Processes the child left behind that were adopted by gilguard (a subreaper, see
  // become_child_subreaper) and ended when the child ended: a daemon that double-forked and
  // called setsid(), for one. Those killed with the child's process group or cgroup while
  // still in it are not counted.
  int left_behind = 0;
  // True when reading stopped output_grace after the child ended although something still held
  // its stdout or stderr open: what it wrote after that is lost.
  bool output_cut = false;
  std::string report_text;  // what the child wrote to ProcessOptions::report_fd

  // True when the child exited normally with status 0.
  bool success() const { return !timed_out && signal == 0 && exit_code == 0; }
  // "exit status 3", "killed by signal 9 (SIGKILL)", "timed out after 2.0 s".
  std::string describe() const;
  // What the child left behind, for a failure message: "" when nothing, else e.g. "; it left 2
  // processes running, which gilguard ended; its output was cut 1.5 s after it ended (something
  // it started still held stdout or stderr open)".
  std::string leftovers() const;
};

// Runs argv[0] (searched on PATH from `env` when it has no slash) with exactly `env`, in a
// new process group, via posix_spawn. When the child ends, everything it left behind is ended
// too: its process group, its cgroup (options.cgroup) and, in a subreaper
// (become_child_subreaper), every adopted process that is not a child run_process is running
// (those are reaped); reading its output stops options.output_grace after it ended. Fails only
// when the child cannot be started.
Expected<ProcessResult> run_process(const std::vector<std::string>& argv, const Environment& env,
                                    const ProcessOptions& options = {});

// Makes this process the reaper of the orphans among its descendants (prctl
// PR_SET_CHILD_SUBREAPER): a process that a child of run_process leaves behind, even one that
// left its process group and session (double fork, setsid()), becomes this process's child
// instead of init's, so run_process can end and reap it when that child ends. Call once at
// start-up, before any child. A process that calls it must start every child through
// run_process: any other child would be taken for a left-behind one and killed.
Expected<void> become_child_subreaper();

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
