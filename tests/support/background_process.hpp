#pragma once

// A child process that runs beside a test (a fake server), unlike util::run_process, which waits
// for the child to end. Started with posix_spawn in its own process group; its first stdout line
// is read (a server prints where it listens); stderr goes to a file; the destructor ends the
// group (SIGTERM, then SIGKILL) and reaps it. Header-only so that tests/CMakeLists.txt needs no
// change.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace gilguard::test {

class BackgroundProcess {
 public:
  // Starts argv (argv[0] an absolute path) with the current environment; stderr goes to
  // `stderr_file`.
  BackgroundProcess(const std::vector<std::string>& argv,
                    const std::filesystem::path& stderr_file) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    m_stdout = pipe_fds[0];
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_file.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    const int rc = ::posix_spawn(&m_pid, args[0], &actions, &attributes, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(pipe_fds[1]);
    if (rc != 0) {
      ::close(m_stdout);
      throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
  }

  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  ~BackgroundProcess() {
    if (m_stdout >= 0) ::close(m_stdout);
    if (m_pid <= 0) return;
    ::kill(-m_pid, SIGTERM);
    for (int i = 0; i < 50; ++i) {
      if (::waitpid(m_pid, nullptr, WNOHANG) == m_pid) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-m_pid, SIGKILL);
    ::waitpid(m_pid, nullptr, 0);
  }

  // The first line the child prints on stdout, without its newline; throws when none comes
  // within `timeout` or the child closes stdout first.
  std::string first_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string line;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("no output from the background process");
      pollfd fd{m_stdout, POLLIN, 0};
      const int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) continue;
      char c = 0;
      const auto n = ::read(m_stdout, &c, 1);
      if (n <= 0) throw std::runtime_error("the background process ended before printing a line");
      if (c == '\n') return line;
      line += c;
    }
  }

  pid_t pid() const { return m_pid; }

 private:
  pid_t m_pid = -1;
  int m_stdout = -1;
};

}  // namespace gilguard::test
