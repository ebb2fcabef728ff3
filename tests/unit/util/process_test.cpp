#include "gilguard/util/process.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
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
TEST(RunProcess, AChildWithAReportChannelGetsNoOtherDescriptor) {
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
  EXPECT_TRUE(without->success());
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
