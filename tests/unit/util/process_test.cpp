#include "gilguard/util/process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "support/test_util.hpp"

namespace gilguard::util {
namespace {

using namespace std::chrono_literals;

Environment minimal_env() { return {{"PATH", "/usr/bin:/bin"}}; }

TEST(RunProcess, CapturesStdoutStderrAndExitCode) {
  auto r = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"}, minimal_env());
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->signal, 0);
  EXPECT_FALSE(r->success());
  EXPECT_EQ(r->stdout_text, "out\n");
  EXPECT_EQ(r->stderr_text, "err\n");
  EXPECT_EQ(r->describe(), "exit status 3");
}

TEST(RunProcess, ZeroExitIsSuccess) {
  auto r = run_process({"true"}, minimal_env());
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->success());
}

TEST(RunProcess, ReportsTheSignalThatKilledTheChild) {
  auto r = run_process({"sh", "-c", "kill -SEGV $$"}, minimal_env());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->signal, SIGSEGV);
  EXPECT_FALSE(r->timed_out);
  EXPECT_EQ(r->describe(), "killed by signal 11 (SIGSEGV)");
}

TEST(RunProcess, PassesExactlyTheGivenEnvironment) {
  ::setenv("GILGUARD_TEST_SECRET", "hunter2", 1);
  auto r = run_process({"env"}, {{"PATH", "/usr/bin:/bin"}, {"ONLY", "this"}});
  ::unsetenv("GILGUARD_TEST_SECRET");
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->stdout_text.find("ONLY=this\n"), std::string::npos);
  EXPECT_EQ(r->stdout_text.find("hunter2"), std::string::npos);
}

TEST(RunProcess, TimeoutKillsChildAndGrandchildren) {
  test::TempDir dir;
  const auto marker = dir.path() / "grandchild.pid";
  // The child starts a grandchild that records its pid and sleeps, then sleeps itself.
  const std::string script = "sleep 30 & echo $! > " + marker.string() + "; sleep 30";
  const auto started = std::chrono::steady_clock::now();
  ProcessOptions options;
  options.timeout = 500ms;
  auto r = run_process({"sh", "-c", script}, minimal_env(), options);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->signal, SIGKILL);
  EXPECT_LT(elapsed, 5s);
  const int grandchild = std::stoi(test::read_file(marker));
  // The grandchild is gone (give the kernel a moment to reap it via init).
  bool alive = true;
  for (int i = 0; i < 100 && alive; ++i) {
    alive = ::kill(grandchild, 0) == 0;
    if (alive) std::this_thread::sleep_for(20ms);
  }
  EXPECT_FALSE(alive) << "grandchild " << grandchild << " survived the timeout";
}

// ---- what a child leaves behind -----------------------------------------------------------------

// A script that starts a daemon the way a hostile workload or configure would: a double fork
// and setsid(), so it is in neither the child's process group nor its session. The daemon writes
// its pid to $1 and then a line to its inherited stdout every 0.2 s, forever; the script ends
// once the pid is written.
std::filesystem::path write_daemonizing_script(const std::filesystem::path& dir) {
  const auto script = dir / "daemonize.sh";
  test::write_file(script,
                   "#!/bin/sh\n"
                   "( setsid sh -c 'echo $$ > \"$1\"; while :; do echo tick; sleep 0.2; done' "
                   "sh \"$1\" & )\n"
                   "while [ ! -s \"$1\" ]; do sleep 0.01; done\n"
                   "echo started\n");
  return script;
}

// Whether `pid` is a live process (not gone, not a zombie).
bool running(pid_t pid) {
  std::string stat;
  try {
    stat = test::read_file("/proc/" + std::to_string(pid) + "/stat");
  } catch (const std::exception&) {
    return false;
  }
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z' &&
         stat[close + 2] != 'X';
}

// The pid a daemon wrote to `file`, waiting up to 5 s for it; 0 when none came.
pid_t daemon_pid(const std::filesystem::path& file) {
  for (int i = 0; i < 250; ++i) {
    if (std::filesystem::exists(file)) {
      const std::string text = test::read_file(file);
      if (!text.empty() && text.back() == '\n') return std::stoi(text);
    }
    std::this_thread::sleep_for(20ms);
  }
  return 0;
}

// Runs `body` in a forked copy of this test process (a subreaper when `subreaper`), killed by
// SIGALRM after 30 s, so a run_process that never returns fails the test instead of hanging
// it. Returns "" when `body` returned "", else what it returned or how the copy ended.
std::string in_forked_process(bool subreaper, const std::function<std::string()>& body) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    ::alarm(30);
    std::string problem;
    if (subreaper) {
      if (auto ok = become_child_subreaper(); !ok) problem = ok.error().message;
    }
    if (problem.empty()) problem = body();
    (void)!::write(fds[1], problem.data(), problem.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string problem;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) problem.append(buffer, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status))
    return problem + "the forked test process was killed by signal " +
           std::to_string(WTERMSIG(status)) + " (SIGALRM: run_process did not return in 30 s)";
  return problem;
}

// Without a subreaper the daemon escapes to init and holds stdout open, writing: reading stops
// output_grace after the child ended, and the result says so.
TEST(RunProcess, ReadingStopsAGraceAfterTheChildEndsWhateverStillWrites) {
  test::TempDir dir;
  const auto script = write_daemonizing_script(dir.path());
  const auto pid_file = dir.path() / "daemon.pid";
  const std::string problem = in_forked_process(false, [&]() -> std::string {
    ProcessOptions options;
    options.output_grace = 300ms;
    const auto started = std::chrono::steady_clock::now();
    auto r = run_process({"sh", script.string(), pid_file.string()}, minimal_env(), options);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    if (!r) return r.error().message;
    if (!r->success()) return "the child failed: " + r->describe();
    if (!r->output_cut) return "output_cut is false";
    if (r->stdout_text.find("started\n") == std::string::npos) return "stdout: " + r->stdout_text;
    if (elapsed > 5s) return "run_process took more than 5 s";
    if (r->leftovers().find("cut short") == std::string::npos)
      return "leftovers: " + r->leftovers();
    return "";
  });
  if (const pid_t daemon = daemon_pid(pid_file); daemon > 0) ::kill(daemon, SIGKILL);
  EXPECT_EQ(problem, "");
}

// In a subreaper the daemon is adopted, and ended and reaped when the child ends: run_process
// returns at once with the output complete, and the daemon is gone.
TEST(RunProcess, ASubreaperEndsTheDaemonAChildLeftBehind) {
  test::TempDir dir;
  const auto script = write_daemonizing_script(dir.path());
  const auto pid_file = dir.path() / "daemon.pid";
  const std::string problem = in_forked_process(true, [&]() -> std::string {
    const auto started = std::chrono::steady_clock::now();
    auto r = run_process({"sh", script.string(), pid_file.string()}, minimal_env());
    const auto elapsed = std::chrono::steady_clock::now() - started;
    if (!r) return r.error().message;
    if (!r->success()) return "the child failed: " + r->describe();
    if (elapsed > 5s) return "run_process took more than 5 s";
    if (r->output_cut) return "output_cut: the daemon was not ended";
    if (r->left_behind < 1) return "left_behind is " + std::to_string(r->left_behind);
    if (r->leftovers().find("which gilguard ended") == std::string::npos)
      return "leftovers: " + r->leftovers();
    const pid_t daemon = daemon_pid(pid_file);
    if (daemon <= 0) return "the daemon wrote no pid";
    if (running(daemon)) return "the daemon " + std::to_string(daemon) + " is still running";
    // Reaped too: no child of this process is left, not even a zombie.
    if (::waitpid(-1, nullptr, WNOHANG) != -1 || errno != ECHILD) return "a child is left";
    return "";
  });
  if (const pid_t daemon = daemon_pid(pid_file); daemon > 0 && running(daemon))
    ::kill(daemon, SIGKILL);
  EXPECT_EQ(problem, "");
}

// The same with stdout in a file, as the CPython build runs configure and make: nothing holds a
// pipe, and the daemon is ended all the same.
TEST(RunProcess, ASubreaperEndsTheDaemonOfAChildWritingToFiles) {
  test::TempDir dir;
  const auto script = write_daemonizing_script(dir.path());
  const auto pid_file = dir.path() / "daemon.pid";
  const auto log = dir.path() / "out.log";
  const std::string problem = in_forked_process(true, [&]() -> std::string {
    ProcessOptions options;
    options.stdout_file = log;
    auto r = run_process({"sh", script.string(), pid_file.string()}, minimal_env(), options);
    if (!r) return r.error().message;
    if (!r->success()) return "the child failed: " + r->describe();
    if (r->left_behind < 1) return "left_behind is " + std::to_string(r->left_behind);
    const pid_t daemon = daemon_pid(pid_file);
    if (daemon <= 0) return "the daemon wrote no pid";
    if (running(daemon)) return "the daemon " + std::to_string(daemon) + " is still running";
    return "";
  });
  if (const pid_t daemon = daemon_pid(pid_file); daemon > 0 && running(daemon))
    ::kill(daemon, SIGKILL);
  EXPECT_EQ(problem, "");
}

// A child that starts nothing: nothing left behind, nothing cut, in a subreaper too.
TEST(RunProcess, AChildThatLeavesNothingReportsNothing) {
  const std::string problem = in_forked_process(true, []() -> std::string {
    auto r = run_process({"sh", "-c", "echo hi; (true &); wait"}, minimal_env());
    if (!r) return r.error().message;
    if (r->stdout_text != "hi\n") return "stdout: " + r->stdout_text;
    if (r->output_cut) return "output_cut";
    if (!r->leftovers().empty() && r->left_behind == 0) return "leftovers: " + r->leftovers();
    return "";
  });
  EXPECT_EQ(problem, "");
}

TEST(RunProcess, CapturesLargeOutputWithoutDeadlock) {
  // 8 MiB on stdout and 1 MiB on stderr at once: more than any pipe buffer.
  auto r = run_process({"sh", "-c", "head -c 8388608 /dev/zero; head -c 1048576 /dev/zero >&2"},
                       minimal_env());
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->success());
  EXPECT_EQ(r->stdout_text.size(), 8u * 1024 * 1024);
  EXPECT_EQ(r->stderr_text.size(), 1u * 1024 * 1024);
}

TEST(RunProcess, FeedsStdin) {
  ProcessOptions options;
  options.stdin_data = "hello\nworld\n";
  auto r = run_process({"wc", "-l"}, minimal_env(), options);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->stdout_text, "2\n");
}

TEST(RunProcess, WritesToFilesWhenAsked) {
  test::TempDir dir;
  ProcessOptions options;
  options.stdout_file = dir.path() / "out.log";
  options.stderr_file = dir.path() / "err.log";
  auto r = run_process({"sh", "-c", "echo a; echo b >&2"}, minimal_env(), options);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(test::read_file(dir.path() / "out.log"), "a\n");
  EXPECT_EQ(test::read_file(dir.path() / "err.log"), "b\n");
}

TEST(RunProcess, MeasuresCpuTime) {
  auto r =
      run_process({"sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done"}, minimal_env());
  ASSERT_TRUE(r.has_value());
  EXPECT_GT(r->cpu_seconds, 0.01);
  EXPECT_GE(r->wall_seconds, r->cpu_seconds * 0.5);
}

// The report channel is a pipe of its own at the asked-for number: what the child writes there
// is apart from its stdout, and a child without the number has nothing there.
TEST(RunProcess, AReportChannelIsCapturedApartFromStdout) {
  ProcessOptions options;
  options.report_fd = 3;
  auto r =
      run_process({"sh", "-c", "echo out; echo report >&3; echo err >&2"}, minimal_env(), options);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(r->success()) << r->stderr_text;
  EXPECT_EQ(r->stdout_text, "out\n");
  EXPECT_EQ(r->report_text, "report\n");
  EXPECT_EQ(r->stderr_text, "err\n");

  auto without = run_process({"sh", "-c", "echo report >&3"}, minimal_env());
  ASSERT_TRUE(without.has_value());
  EXPECT_FALSE(without->success());
  EXPECT_EQ(without->report_text, "");
}

// The pipe's write end may get the very number asked for (the lowest free descriptors go to the
// stdout, stderr and report pipes in turn); a dup2 onto itself would leave it close-on-exec and
// the child without its channel.
TEST(RunProcess, AReportChannelWhoseWriteEndHasTheAskedNumberReachesTheChild) {
  const int lowest = ::dup(0);
  ASSERT_GE(lowest, 0);
  ::close(lowest);
  ProcessOptions options;
  options.report_fd = lowest + 5;  // stdout pipe: lowest, +1; stderr: +2, +3; report: +4, +5
  auto r = run_process({"sh", "-c", "echo report >&" + std::to_string(lowest + 5)}, minimal_env(),
                       options);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_TRUE(r->success()) << r->stderr_text;
  EXPECT_EQ(r->report_text, "report\n");
}

// A descriptor gilguard itself holds open without close-on-exec (one it inherited, say) does not
// reach a child that has a report channel, and still reaches one without.
// A descriptor gilguard inherited open (a runner's pipe, a test driver's) reaches no child,
// with or without a report channel.
TEST(RunProcess, AChildGetsNoInheritedDescriptorAboveStderr) {
  // Close-on-exec off, and one digit: sh redirects descriptors 0 to 9 only.
  const int stray = ::fcntl(STDERR_FILENO, F_DUPFD, 7);
  ASSERT_TRUE(stray >= 7 && stray <= 9) << stray;
  const std::vector<std::string> argv{"sh", "-c",
                                      "echo x >&" + std::to_string(stray) + " 2>/dev/null"};
  ProcessOptions options;
  options.report_fd = 3;
  const auto with_channel = run_process(argv, minimal_env(), options);
  const auto without = run_process(argv, minimal_env());
  ::close(stray);
  ASSERT_TRUE(with_channel && without);
  EXPECT_FALSE(with_channel->success());
  EXPECT_FALSE(without->success());
}

TEST(RunProcess, MissingProgramIsAnError) {
  auto r = run_process({"no-such-program-gilguard"}, minimal_env());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "no-such-program-gilguard: not found on PATH");
}

TEST(TailLines, KeepsTheLastLines) {
  EXPECT_EQ(tail_lines("a\nb\nc\nd\n", 2), "c\nd");
  EXPECT_EQ(tail_lines("a\nb", 5), "a\nb");
  EXPECT_EQ(tail_lines("", 3), "");
}

}  // namespace
}  // namespace gilguard::util
