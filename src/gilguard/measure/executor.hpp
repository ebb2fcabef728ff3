#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gilguard/core/run_result.hpp"
#include "gilguard/util/process.hpp"
#include "gilguard/workload/spec.hpp"

namespace gilguard::measure {

// What one child process is asked to do.
struct ChildRequest {
  std::int64_t range = 0;  // 0: the child sizes it (workloads other than primes)
  int threads = 1;
  bool seq_first = true;
  std::chrono::milliseconds timeout{0};  // zero: no limit
  bool reference = false;  // also time the same chunks in forked processes (the reference)
  // Alternate the sequential and threaded regions this many times in the one process and report
  // their mean times (without the reference only).
  int repeats = 1;
};

// Failure texts of samples whose child ran out of time start with this (see is_timeout).
inline constexpr std::string_view k_timeout_prefix = "timed out";

// A timed-out child that was sizing the range (ChildRequest::range 0: no --range was given) says
// so in its failure text, after k_timeout_prefix.
inline constexpr std::string_view k_sizing_note = "while it sized the range";

// True when a failed sample's child was killed for running over its timeout.
bool is_timeout(const Sample& sample);

// Runs one cell once, in a fresh process or a fake. Implementations never throw for a child
// that crashes, hangs or prints garbage: they return a Sample with ok = false and the reason.
// The scheduler fills in round and position.
class Executor {
 public:
  virtual ~Executor() = default;
  // One measurement of `cell` as `request` describes.
  virtual Sample execute(const Cell& cell, const ChildRequest& request) = 0;
};

// The environment variables a child may inherit from gilguard; nothing else ever reaches it
// (no GITHUB_TOKEN, ACTIONS_* or other secrets).
inline constexpr std::string_view k_child_environment_allow_list[] = {
    "PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHON_GIL"};

// Set by gilguard itself in every child's environment (never taken from its own): the file the
// child reads its whole process tree's CPU time from, "cgroup1:PATH" or "cgroup2:PATH".
inline constexpr std::string_view k_tree_cpu_variable = "GILGUARD_TREE_CPU";

// The allow-listed subset of `parent`.
util::Environment child_environment(const util::Environment& parent);

// The argv of one workload child:
// PYTHON -I [-X gil=V] -c SCRIPT RANGE THREADS SEQ_FIRST REFERENCE REPEATS [MODULE...].
// `gil_override` is gilguard's own PYTHON_GIL: -I makes Python ignore PYTHON_* variables, so it
// is passed on as -X gil=V (free-threaded flavour only; a GIL build rejects gil=0). The child
// imports `imports` (the --import modules) before it times anything.
std::vector<std::string> child_argv(const std::filesystem::path& python, Flavor flavor,
                                    const ChildRequest& request,
                                    const std::optional<std::string>& gil_override,
                                    const std::vector<std::string>& imports = {});

// The GIL RuntimeWarnings a successful child printed on stderr, each prefixed with
// k_startup_warning_prefix: the workload records the warnings raised while it runs, so those on
// stderr were raised at start-up (a .pth file or sitecustomize).
std::vector<std::string> startup_warnings(const std::string& stderr_text);

// The argv of one child of `workload` (workload::Workload::child_argv): child_argv for primes,
// workload::harness_argv for the others.
std::vector<std::string> workload_child_argv(const std::filesystem::path& python, Flavor flavor,
                                             const ChildRequest& request,
                                             const std::optional<std::string>& gil_override,
                                             const std::vector<std::string>& imports,
                                             const workload::WorkloadSpec& workload);

// Runs the embedded workload in real interpreter processes through util::run_process.
class ProcessExecutor : public Executor {
 public:
  // `parent_environment` is normally util::current_environment(); only its allow-listed part
  // is passed on.
  ProcessExecutor(std::filesystem::path gil_python, std::filesystem::path ft_python,
                  const util::Environment& parent_environment);

  Sample execute(const Cell& cell, const ChildRequest& request) override;

  // An A/B run: cells on the base side run these interpreters (without, they run the head's).
  void set_base(std::filesystem::path gil_python, std::filesystem::path ft_python) {
    m_base = Pair{std::move(gil_python), std::move(ft_python)};
  }

  // The exact environment every child gets.
  const util::Environment& environment() const { return m_environment; }

  // Modules every free-threaded child imports before it times anything (--import), so that what
  // they do at import (a hook, a thread, a trace function) shows in the speedup.
  void import_in_ft_children(std::vector<std::string> modules) {
    m_ft_imports = std::move(modules);
  }

  // The workload every child runs (default: primes).
  void set_workload(workload::WorkloadSpec workload) { m_workload = std::move(workload); }

  // How the children's background CPU is read: "cgroup v1 cpuacct", "cgroup v2" or "process
  // tree" (no cgroup could be made here; descendants that end before a reading are missed).
  const std::string& background_source() const { return m_background_source; }
  // gilguard's PYTHON_GIL, passed on to free-threaded children as -X gil.
  const std::optional<std::string>& gil_override() const { return m_gil_override; }

 private:
  std::filesystem::path m_gil_python;
  std::filesystem::path m_ft_python;
  struct Pair {
    std::filesystem::path gil;
    std::filesystem::path ft;
  };
  std::optional<Pair> m_base;
  util::Environment m_environment;
  std::optional<std::string> m_gil_override;
  std::vector<std::string> m_ft_imports;
  workload::WorkloadSpec m_workload;
  std::optional<util::ChildCgroup> m_cgroup;  // the children's, where one could be made
  std::string m_background_source;
};

}  // namespace gilguard::measure
