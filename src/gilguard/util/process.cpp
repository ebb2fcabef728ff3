#include "gilguard/util/process.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <set>
#include <thread>

extern char** environ;

namespace gilguard::util {
namespace {

using Clock = std::chrono::steady_clock;

// The process groups of the children running now, for the termination handler. Lock-free
// atomics are async-signal-safe; a slot holds 0 when free.
constexpr std::size_t k_group_slots = 16;
std::array<std::atomic<pid_t>, k_group_slots> g_running_groups{};
static_assert(std::atomic<pid_t>::is_always_lock_free);

extern "C" void end_children_then_die(int signal_number) {
  for (auto& slot : g_running_groups) {
    const pid_t group = slot.load();
    if (group > 0) {
      ::kill(-group, SIGTERM);
      ::kill(-group, SIGCONT);  // a stopped child must wake to see the SIGTERM
    }
  }
  // Die of the same signal, so whoever started gilguard sees what happened.
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

// Whether become_child_subreaper succeeded: only then are the orphans of a child this process's
// children, to be ended when the child ends.
std::atomic<bool> g_subreaper{false};

// Whether `pid` is a child that run_process is running now.
bool running_child(pid_t pid) {
  for (const auto& slot : g_running_groups)
    if (slot.load() == pid) return true;
  return false;
}

// A small /proc file's text, or nothing when it cannot be opened.
std::optional<std::string> read_proc_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  std::array<char, 4096> buffer{};
  while (true) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      text.append(buffer.data(), static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  ::close(fd);
  return text;
}

// The numeric names in a /proc directory.
std::vector<pid_t> numeric_entries(const char* dir_path) {
  std::vector<pid_t> out;
  DIR* dir = ::opendir(dir_path);
  if (dir == nullptr) return out;
  while (const dirent* entry = ::readdir(dir)) {
    pid_t id = 0;
    const char* end = entry->d_name + std::strlen(entry->d_name);
    const auto [ptr, ec] = std::from_chars(entry->d_name, end, id);
    if (ec == std::errc() && ptr == end && id > 0) out.push_back(id);
  }
  ::closedir(dir);
  return out;
}

// This process's children now, ended ones not yet reaped included: from
// /proc/self/task/*/children, or, on a kernel without those files, from every /proc/PID/stat
// whose parent is this process.
std::set<pid_t> own_children() {
  std::set<pid_t> out;
  bool listed = false;
  for (const pid_t task : numeric_entries("/proc/self/task")) {
    // Read once: whether it opened says whether this kernel lists children at all.
    const auto children = read_proc_file(fmt::format("/proc/self/task/{}/children", task));
    if (!children) continue;
    listed = true;
    const std::string& text = *children;
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
      pid_t child = 0;
      const auto [next, ec] = std::from_chars(p, end, child);
      if (ec == std::errc() && child > 0) out.insert(child);
      p = next == p ? p + 1 : next;
    }
  }
  if (listed) return out;
  const pid_t self = ::getpid();
  for (const pid_t pid : numeric_entries("/proc")) {
    // "PID (COMM) STATE PPID ...": COMM may hold anything, so read after its last ')'.
    const std::string stat = read_proc_file(fmt::format("/proc/{}/stat", pid)).value_or("");
    const auto close = stat.rfind(')');
    if (close == std::string::npos || close + 4 >= stat.size()) continue;
    const char* begin = stat.data() + close + 4;  // past ") S "
    pid_t parent = 0;
    std::from_chars(begin, stat.data() + stat.size(), parent);
    if (parent == self) out.insert(pid);
  }
  return out;
}

// Ends and reaps every child of this process that run_process is not running now (`ended`, the
// child that just ended, counts as not running): what a child left behind and this subreaper
// adopted. A killed process's own children become this process's next, so it goes on until a
// listing finds none (or 2 s have passed). Returns how many it ended or reaped.
int end_left_behind(pid_t ended) {
  if (!g_subreaper.load()) return 0;
  std::set<pid_t> seen;
  const auto until = Clock::now() + std::chrono::seconds(2);
  while (true) {
    std::vector<pid_t> left;
    for (const pid_t pid : own_children())
      if (pid == ended || !running_child(pid)) left.push_back(pid);
    if (left.empty()) break;
    for (const pid_t pid : left) {
      ::kill(pid, SIGKILL);
      seen.insert(pid);
    }
    bool all_reaped = true;
    for (const pid_t pid : left) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) != pid) all_reaped = false;
    }
    if (Clock::now() >= until) break;
    if (!all_reaped) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return static_cast<int>(seen.size());
}

// Records a running child's process group (the child's pid) for end_children_then_die while
// in scope. With every slot taken the group is not recorded; only a Ctrl-C would miss it.
class RunningGroup {
 public:
  explicit RunningGroup(pid_t group) {
    if (group <= 0) return;
    for (auto& slot : g_running_groups) {
      pid_t free = 0;
      if (slot.compare_exchange_strong(free, group)) {
        m_slot = &slot;
        return;
      }
    }
  }
  RunningGroup(const RunningGroup&) = delete;
  RunningGroup& operator=(const RunningGroup&) = delete;
  ~RunningGroup() {
    if (m_slot != nullptr) m_slot->store(0);
  }

 private:
  std::atomic<pid_t>* m_slot = nullptr;
};

// SIGINT, SIGTERM and SIGHUP blocked while in scope: between posix_spawn and RunningGroup a
// Ctrl-C must wait, or the new child would outlive gilguard.
class TerminationSignalsBlocked {
 public:
  TerminationSignalsBlocked() {
    sigset_t set;
    sigemptyset(&set);
    for (const int s : k_termination_signals) sigaddset(&set, s);
    ::pthread_sigmask(SIG_BLOCK, &set, &m_old);
  }
  TerminationSignalsBlocked(const TerminationSignalsBlocked&) = delete;
  TerminationSignalsBlocked& operator=(const TerminationSignalsBlocked&) = delete;
  ~TerminationSignalsBlocked() { ::pthread_sigmask(SIG_SETMASK, &m_old, nullptr); }

  static constexpr std::array<int, 3> k_termination_signals = {SIGINT, SIGTERM, SIGHUP};

 private:
  sigset_t m_old{};
};

// A file descriptor closed on scope exit.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    reset(std::exchange(other.m_fd, -1));
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return m_fd; }
  void reset(int fd = -1) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = fd;
  }

 private:
  int m_fd = -1;
};

Expected<std::array<Fd, 2>> make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0)
    return fail(fmt::format("pipe: {}", std::strerror(errno)));
  return std::array<Fd, 2>{Fd(fds[0]), Fd(fds[1])};
}

// Appends what is readable on fd to out; returns false at end of file.
bool drain(int fd, std::string& out, std::size_t max_bytes) {
  std::array<char, 65536> buffer{};
  while (true) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      out.append(buffer.data(), static_cast<std::size_t>(n));
      if (out.size() > max_bytes) out.erase(0, out.size() - max_bytes);
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

double seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

std::vector<char*> to_argv(std::vector<std::string>& storage) {
  std::vector<char*> out;
  out.reserve(storage.size() + 1);
  for (auto& s : storage) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::string ProcessResult::describe() const {
  if (timed_out) return fmt::format("timed out after {:.1f} s and was killed", wall_seconds);
  if (signal != 0) {
    const char* name = sigabbrev_np(signal);
    return fmt::format("killed by signal {} (SIG{})", signal, name != nullptr ? name : "?");
  }
  return fmt::format("exit status {}", exit_code);
}

std::string ProcessResult::leftovers() const {
  std::string out;
  if (left_behind > 0)
    out += fmt::format("; it left {} process{} running, which gilguard ended", left_behind,
                       left_behind == 1 ? "" : "es");
  if (output_cut)
    out +=
        "; its output was cut short after it ended (something it started still held stdout "
        "or stderr open)";
  return out;
}

Environment current_environment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

std::optional<std::filesystem::path> find_on_path(const std::string& program,
                                                  const Environment& env) {
  if (program.find('/') != std::string::npos) return std::filesystem::path(program);
  const auto it = env.find("PATH");
  const std::string path = it != env.end() ? it->second : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = std::min(path.find(':', start), path.size());
    const std::string dir = end > start ? path.substr(start, end - start) : ".";
    const std::filesystem::path candidate = std::filesystem::path(dir) / program;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) {
      return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::string tail_lines(const std::string& text, std::size_t max_lines) {
  std::size_t end = text.size();
  while (end > 0 && text[end - 1] == '\n') --end;
  std::size_t pos = end;
  std::size_t lines = 0;
  while (pos > 0) {
    if (text[pos - 1] == '\n' && ++lines == max_lines) break;
    --pos;
  }
  return text.substr(pos, end - pos);
}

Expected<ProcessResult> run_process(const std::vector<std::string>& argv, const Environment& env,
                                    const ProcessOptions& options) {
  if (argv.empty()) return fail("run_process: empty argv");
  const auto program = find_on_path(argv[0], env);
  if (!program) return fail(fmt::format("{}: not found on PATH", argv[0]));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  struct Cleanup {
    posix_spawn_file_actions_t* a;
    posix_spawnattr_t* b;
    ~Cleanup() {
      posix_spawn_file_actions_destroy(a);
      posix_spawnattr_destroy(b);
    }
  } cleanup{&actions, &attr};

  // Own process group, so a timeout can kill the child and everything it started; default
  // signal dispositions and an empty mask, whatever gilguard itself has.
  sigset_t all_signals;
  sigfillset(&all_signals);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigdefault(&attr, &all_signals);
  posix_spawnattr_setsigmask(&attr, &no_signals);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  if (options.working_directory) {
    posix_spawn_file_actions_addchdir_np(&actions, options.working_directory->c_str());
  }

  Fd stdin_read;
  Fd stdin_write;
  if (options.stdin_data.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  } else {
    auto p = make_pipe();
    if (!p) return std::unexpected(p.error());
    stdin_read = std::move((*p)[0]);
    stdin_write = std::move((*p)[1]);
    posix_spawn_file_actions_adddup2(&actions, stdin_read.get(), STDIN_FILENO);
  }

  std::array<Fd, 2> out_pipe;
  std::array<Fd, 2> err_pipe;
  const bool capture_out = !options.stdout_file.has_value();
  const bool capture_err = !options.stderr_file.has_value();
  if (capture_out) {
    auto p = make_pipe();
    if (!p) return std::unexpected(p.error());
    out_pipe = std::move(*p);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1].get(), STDOUT_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, options.stdout_file->c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (capture_err) {
    auto p = make_pipe();
    if (!p) return std::unexpected(p.error());
    err_pipe = std::move(*p);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1].get(), STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, options.stderr_file->c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
  }

  // The report channel, set up last: its dup2 must not overwrite a descriptor an earlier action
  // reads. A write end that already has the target number is moved first, since a dup2 onto
  // itself would leave it close-on-exec.
  std::array<Fd, 2> report_pipe;
  if (options.report_fd) {
    auto p = make_pipe();
    if (!p) return std::unexpected(p.error());
    report_pipe = std::move(*p);
    if (report_pipe[1].get() == *options.report_fd) {
      Fd moved(::fcntl(report_pipe[1].get(), F_DUPFD_CLOEXEC, *options.report_fd + 1));
      if (moved.get() < 0) return fail(fmt::format("fcntl: {}", std::strerror(errno)));
      report_pipe[1] = std::move(moved);
    }
    posix_spawn_file_actions_adddup2(&actions, report_pipe[1].get(), *options.report_fd);
    // Nothing else above stderr: a descriptor gilguard inherited open (a runner's pipe, say)
    // would otherwise reach the child as well, beside its channel.
    for (int fd = STDERR_FILENO + 1; fd < *options.report_fd; ++fd)
      posix_spawn_file_actions_addclose(&actions, fd);
    posix_spawn_file_actions_addclosefrom_np(&actions, *options.report_fd + 1);
  } else {
    // Without a channel, nothing above stderr either: a descriptor gilguard inherited open
    // (a runner's pipe, a test driver's) must not reach the code under test.
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  }

  std::vector<std::string> argv_storage = argv;
  auto c_argv = to_argv(argv_storage);
  std::vector<std::string> env_storage;
  env_storage.reserve(env.size());
  for (const auto& [key, value] : env) env_storage.push_back(key + "=" + value);
  auto c_env = to_argv(env_storage);

  const auto started = Clock::now();
  pid_t pid = 0;
  std::optional<TerminationSignalsBlocked> blocked(std::in_place);
  if (options.cgroup) {
    if (auto entered = options.cgroup->enter(); !entered)
      return fail(fmt::format("cannot start {} in its cgroup: {}", program->string(),
                              entered.error().message));
  }
  const int rc =
      ::posix_spawn(&pid, program->c_str(), &actions, &attr, c_argv.data(), c_env.data());
  if (options.cgroup) options.cgroup->leave();
  const RunningGroup running(rc == 0 ? pid : 0);
  blocked.reset();
  if (rc != 0)
    return fail(fmt::format("cannot start {}: {}", program->string(), std::strerror(rc)));

  // The parent keeps only its ends of the pipes.
  stdin_read.reset();
  out_pipe[1].reset();
  err_pipe[1].reset();
  report_pipe[1].reset();
  for (Fd* fd : {&out_pipe[0], &err_pipe[0], &report_pipe[0], &stdin_write}) {
    if (fd->get() >= 0) ::fcntl(fd->get(), F_SETFL, ::fcntl(fd->get(), F_GETFL) | O_NONBLOCK);
  }
  // A pidfd lets poll() wake the moment the child exits (Linux 5.3+); without one, poll ticks.
  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));

  ProcessResult result;
  std::size_t stdin_offset = 0;
  bool exited = false;
  int status = 0;
  rusage usage{};
  const auto deadline = started + options.timeout;
  auto kill_group = [pid, &options] {
    ::kill(-pid, SIGKILL);
    if (options.cgroup) options.cgroup->kill_all();
  };
  // Once the child is reaped: what it left behind is ended, and its pipes are read only until
  // output_grace from now.
  std::optional<Clock::time_point> output_deadline;
  auto end_left_behind_by_child = [&] {
    result.left_behind += end_left_behind(pid);
    output_deadline = Clock::now() + options.output_grace;
  };

  while (true) {
    if (!exited) {
      const pid_t w = ::wait4(pid, &status, WNOHANG, &usage);
      if (w == pid) {
        exited = true;
        // Whatever the child left behind dies with it.
        kill_group();
        end_left_behind_by_child();
      }
    }
    const bool out_open = out_pipe[0].get() >= 0;
    const bool err_open = err_pipe[0].get() >= 0;
    const bool report_open = report_pipe[0].get() >= 0;
    if (exited && !out_open && !err_open && !report_open) break;

    std::vector<pollfd> fds;
    if (out_open) fds.push_back({out_pipe[0].get(), POLLIN, 0});
    if (err_open) fds.push_back({err_pipe[0].get(), POLLIN, 0});
    if (report_open) fds.push_back({report_pipe[0].get(), POLLIN, 0});
    if (stdin_write.get() >= 0) fds.push_back({stdin_write.get(), POLLOUT, 0});
    if (!exited && pidfd.get() >= 0) fds.push_back({pidfd.get(), POLLIN, 0});

    int wait_ms = pidfd.get() >= 0 ? -1 : 20;
    if (options.timeout.count() > 0 && !exited) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        result.timed_out = true;
        kill_group();
        ::wait4(pid, &status, 0, &usage);
        exited = true;
        end_left_behind_by_child();
        continue;
      }
      wait_ms =
          wait_ms < 0 ? static_cast<int>(left) : std::min<int>(wait_ms, static_cast<int>(left));
    }
    if (exited) {
      // Only pipes left, held open by something that escaped every kill: read them until the
      // deadline, however much it writes.
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(*output_deadline - Clock::now())
              .count();
      if (left <= 0) {
        result.output_cut = true;
        out_pipe[0].reset();
        err_pipe[0].reset();
        report_pipe[0].reset();
        continue;
      }
      wait_ms = static_cast<int>(left);
    }

    const int ready = ::poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0 && errno != EINTR) return fail(fmt::format("poll: {}", std::strerror(errno)));
    for (const auto& p : fds) {
      if (p.revents == 0) continue;
      if (p.fd == out_pipe[0].get() &&
          !drain(p.fd, result.stdout_text, options.max_capture_bytes)) {
        out_pipe[0].reset();
      } else if (p.fd == err_pipe[0].get() &&
                 !drain(p.fd, result.stderr_text, options.max_capture_bytes)) {
        err_pipe[0].reset();
      } else if (p.fd == report_pipe[0].get() &&
                 !drain(p.fd, result.report_text, options.max_capture_bytes)) {
        report_pipe[0].reset();
      } else if (p.fd == stdin_write.get()) {
        if ((p.revents & (POLLERR | POLLHUP)) != 0) {
          stdin_write.reset();
          continue;
        }
        const ssize_t n = ::write(p.fd, options.stdin_data.data() + stdin_offset,
                                  options.stdin_data.size() - stdin_offset);
        if (n > 0) stdin_offset += static_cast<std::size_t>(n);
        if (n < 0 && errno != EAGAIN && errno != EINTR) stdin_write.reset();
        if (stdin_offset >= options.stdin_data.size()) stdin_write.reset();
      }
    }
  }

  result.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  result.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  if (result.timed_out) result.signal = SIGKILL;
  return result;
}

Expected<void> become_child_subreaper() {
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
    return fail(fmt::format("prctl(PR_SET_CHILD_SUBREAPER): {}", std::strerror(errno)));
  g_subreaper.store(true);
  return {};
}

void end_children_on_termination_signals() {
  struct sigaction action {};
  action.sa_handler = end_children_then_die;
  sigemptyset(&action.sa_mask);
  for (const int s : TerminationSignalsBlocked::k_termination_signals) {
    struct sigaction previous {};
    // A signal ignored when gilguard started (nohup) stays ignored.
    if (::sigaction(s, nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
    ::sigaction(s, &action, nullptr);
  }
}

}  // namespace gilguard::util
