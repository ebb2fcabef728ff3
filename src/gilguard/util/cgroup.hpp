#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gilguard/core/error.hpp"

// A cgroup of one child process and everything it starts: the CPU time they use together (the
// code under test may start threads and processes beside its timed workers, and that cost is
// the code's own, not the machine's), and a way to end every one of them, even those that left
// the child's process group. Made under gilguard's own cgroup where the machine lets gilguard
// write there: cgroup v2 (`cpu.stat`, usage_usec) or the v1 cpuacct hierarchy (`cpuacct.usage`).
// Where neither can be made, callers fall back to reading the process tree (workload/prelude).
namespace gilguard::util {

class ChildCgroup {
 public:
  // Makes `gilguard-<pid>-<name>` beside nothing else in gilguard's own cgroup, after removing
  // empty ones that gilguard processes no longer alive left behind. The error says why not
  // (no cgroup file system, no write permission), for the report of which method was used.
  static Expected<ChildCgroup> create(const std::string& name);

  ChildCgroup(ChildCgroup&&) noexcept;
  ChildCgroup& operator=(ChildCgroup&&) noexcept;
  ChildCgroup(const ChildCgroup&) = delete;
  ChildCgroup& operator=(const ChildCgroup&) = delete;
  // Ends every member and removes the cgroup.
  ~ChildCgroup();

  // "cgroup v2" or "cgroup v1 cpuacct".
  std::string kind() const;
  // The file whose reading is the members' CPU time: "cgroup2:<path of cpu.stat>" or
  // "cgroup1:<path of cpuacct.usage>", as the child's prelude reads it (GILGUARD_TREE_CPU).
  std::string usage_spec() const;
  // The members' CPU time so far, in seconds (all processes that were ever members).
  Expected<double> cpu_seconds() const;

  // Moves the calling thread in (v1), or gilguard's process (v2, where threads cannot move
  // alone), so that a process started now starts inside; leave() moves it back. Call them
  // around posix_spawn only.
  Expected<void> enter();
  void leave();

  // The processes in the cgroup now, but for ended ones not yet reaped.
  std::vector<pid_t> members() const;
  // SIGKILL to every member until none is left (or 1 s has passed): the number killed.
  int kill_all();

 private:
  struct State;
  explicit ChildCgroup(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

}  // namespace gilguard::util
