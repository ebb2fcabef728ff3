// The code under test is not trusted (issue 21): the real binary with real workloads that do what
// a hostile pull request could. A workload that looks for the token in every ancestor's
// /proc/PID/environ and cmdline finds it nowhere (gilguard takes it out of its environment block
// and command line at start-up and is non-dumpable; util/secrets.hpp). A daemon that
// double-forks, calls setsid() and leaves gilguard's cgroup, started by a workload's import, by
// an --import module or by a CPython build's configure, writing a line every 0.2 s forever to
// what it inherited, neither hangs gilguard nor outlives the child that started it (gilguard is
// a subreaper and ends what each child leaves behind; util::run_process). A child that prints
// invalid UTF-8 to stderr and fails leaves a results file gilguard reads back.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <sstream>
#include <thread>

#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

util::ProcessResult gilguard(const std::vector<std::string>& args, const util::Environment& env,
                             const fs::path& cwd, std::chrono::seconds timeout) {
  std::vector<std::string> argv{test::gilguard_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  util::ProcessOptions options;
  options.timeout = timeout;
  options.working_directory = cwd;
  auto result = util::run_process(argv, env, options);
  if (!result) throw std::runtime_error(result.error().message);
  return *result;
}

std::string output_of(const util::ProcessResult& r) {
  return r.describe() + "\n--- stdout\n" + r.stdout_text + "--- stderr\n" + r.stderr_text;
}

// A token-like secret no file or environment on this machine holds.
std::string random_secret(std::string_view prefix) {
  std::random_device device;
  std::string out(prefix);
  const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (int i = 0; i < 32; ++i) out += digits[device() % 62];
  return out;
}

// ---- the token ----------------------------------------------------------------------------------

// A workload file that, when imported, reads environ, cmdline and comm of every ancestor of its
// process below `last` (the test process, which holds no token by construction; nothing above it
// is the test's business) and appends what it read to `found`.
std::string peeking_workload(const fs::path& found, pid_t last) {
  return fmt::format(R"PY(import os

FOUND = '{}'
LAST = {}


def _ancestors():
    pid = os.getpid()
    while True:
        try:
            with open(f"/proc/{{pid}}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return
        if pid <= 1 or pid == LAST:
            return
        yield pid


def _look():
    seen = []
    for pid in _ancestors():
        for name in ("environ", "cmdline", "comm"):
            try:
                with open(f"/proc/{{pid}}/{{name}}", "rb") as f:
                    seen.append(f"{{pid}} {{name}}: {{f.read()!r}}")
            except OSError as error:
                seen.append(f"{{pid}} {{name}}: unreadable ({{error.strerror}})")
    with open(FOUND, "a") as f:
        f.write("\n".join(seen) + "\n")


_look()


def workload(i):
    return i
)PY",
                     found.string(), last);
}

// The token is given to gilguard as the action's comment step would give it (GITHUB_TOKEN in
// gilguard's environment, and --github-token on its command line for `check`), never in the test
// process's own environment; the workload reads the environ and cmdline of every ancestor up to
// the test process, and finds neither. On a gilguard that keeps GITHUB_TOKEN in its environment
// block, it finds it in /proc/<gilguard>/environ.
TEST(UntrustedCode, TheWorkloadFindsTheTokenInNoAncestor) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  const fs::path found = dir.path() / "found.txt";
  test::write_file(dir.path() / "peek.py", peeking_workload(found, ::getpid()));
  const std::string token = random_secret("ghs_");
  const std::string option_token = random_secret("ghp_");
  ASSERT_EQ(util::current_environment().count("GITHUB_TOKEN"), 0u)
      << "the test process itself must not hold a token";
  auto env = util::current_environment();
  env["GITHUB_TOKEN"] = token;

  const std::vector<std::string> common = {
      "--gil",   py.gil.string(), "--ft",      py.ft.string(), "--workload", "peek.py",
      "--range", "1000",          "--threads", "1,2",          "--rounds",   "1"};
  std::vector<std::string> run = {"run"};
  run.insert(run.end(), common.begin(), common.end());
  run.insert(run.end(), {"--output", (dir.path() / "run.json").string()});
  const auto ran = gilguard(run, env, dir.path(), 300s);
  EXPECT_EQ(ran.exit_code, 0) << output_of(ran);

  std::vector<std::string> check = {"check"};
  check.insert(check.end(), common.begin(), common.end());
  check.insert(check.end(), {"--github-token", option_token, "--comment", "never"});
  const auto checked = gilguard(check, env, dir.path(), 300s);
  EXPECT_EQ(checked.exit_code, 0) << output_of(checked);

  const std::string seen = test::read_file(found);
  // Where a text was found: the line's "PID FILE" only (the lines hold whole environments).
  const auto where = [&seen](const std::string& text) {
    const auto at = seen.find(text);
    if (at == std::string::npos) return std::string("nowhere");
    const auto start = seen.rfind('\n', at);
    const auto line = seen.substr(start == std::string::npos ? 0 : start + 1);
    return line.substr(0, line.find(':'));
  };
  // Not vacuous: gilguard's own files were read, with its command line (run and check).
  EXPECT_NE(seen.find("cmdline: b'" + test::gilguard_binary().string() + "\\x00run"),
            std::string::npos);
  EXPECT_NE(seen.find("cmdline: b'" + test::gilguard_binary().string() + "\\x00check"),
            std::string::npos);
  EXPECT_NE(seen.find(" environ: b'"), std::string::npos);
  EXPECT_EQ(where(token), "nowhere") << "GITHUB_TOKEN was found";
  EXPECT_EQ(where(option_token), "nowhere") << "--github-token was found";
  EXPECT_EQ(where("GITHUB_TOKEN="), "nowhere");
}

// ---- descendants that leave the process group ---------------------------------------------------

// Python that starts a daemon at import: a double fork and setsid() (out of the child's process
// group and session), then, where gilguard started the child in a cgroup it may leave (as root),
// out of that cgroup into its parent; then it appends its pid to `pids` (the import goes on once
// it has) and writes a line to the stdout it inherited every 0.2 s, forever.
std::string daemonizing_python(const fs::path& pids) {
  return fmt::format(R"PY(import os
import time

PIDS = '{}'


def _leave_gilguards_cgroup():
    try:
        with open("/proc/self/cgroup") as f:
            lines = f.read().splitlines()
    except OSError:
        return
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "/gilguard-" not in path:
            continue
        root = "/sys/fs/cgroup" if controllers == "" else "/sys/fs/cgroup/" + controllers
        parent = os.path.dirname(path.rstrip("/"))
        try:
            with open(root + parent + "/cgroup.procs", "w") as f:
                f.write(str(os.getpid()))
        except OSError:
            pass


def _daemonize():
    ready, written = os.pipe()
    if os.fork() != 0:
        # Back to the import once the daemon has written its pid.
        os.close(written)
        os.read(ready, 1)
        os.close(ready)
        os.wait()
        return
    os.close(ready)
    os.setsid()
    if os.fork() != 0:
        os._exit(0)
    _leave_gilguards_cgroup()
    with open(PIDS, "a") as f:
        f.write(f"{{os.getpid()}}\n")
    os.write(written, b"!")
    os.close(written)
    while True:
        try:
            os.write(1, b"daemon line\n")
        except OSError:
            pass
        time.sleep(0.2)


_daemonize()
)PY",
                     pids.string());
}

// Whether `pid` is a live process (not gone, not a zombie).
bool running(pid_t pid) {
  std::string stat;
  try {
    stat = test::read_file(fmt::format("/proc/{}/stat", pid));
  } catch (const std::exception&) {
    return false;
  }
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z' &&
         stat[close + 2] != 'X';
}

std::vector<pid_t> pids_in(const fs::path& file) {
  std::vector<pid_t> out;
  if (!fs::exists(file)) return out;
  std::istringstream lines(test::read_file(file));
  for (pid_t pid = 0; lines >> pid;) out.push_back(pid);
  return out;
}

// Every daemon listed in `file` is gone; those still running are killed (so a failing run
// leaves nothing behind on the machine) and named in the failure.
void expect_all_gone(const fs::path& file) {
  const auto pids = pids_in(file);
  EXPECT_FALSE(pids.empty()) << "no daemon wrote its pid to " << file;
  for (const pid_t pid : pids) {
    EXPECT_FALSE(running(pid)) << "daemon " << pid << " outlived its child";
    if (running(pid)) ::kill(pid, SIGKILL);
  }
}

// A workload whose import starts a daemon: `gilguard run --rounds 1` ends (a gilguard that
// reads while anything writes never does: the test's limit kills it), and every daemon is gone.
TEST(UntrustedCode, ADaemonStartedByTheWorkloadNeitherHangsGilguardNorOutlivesItsChild) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  const fs::path pids = dir.path() / "daemons.txt";
  test::write_file(dir.path() / "daemon.py",
                   daemonizing_python(pids) + "\n\ndef workload(i):\n    return i\n");
  const auto started = std::chrono::steady_clock::now();
  const auto result = gilguard({"run", "--gil", py.gil.string(), "--ft", py.ft.string(),
                                "--workload", "daemon.py", "--range", "1000", "--threads", "1,2",
                                "--rounds", "1", "--output", (dir.path() / "r.json").string()},
                               util::current_environment(), dir.path(), 60s);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_FALSE(result.timed_out) << "gilguard was still reading after 60 s\n" << output_of(result);
  EXPECT_LT(seconds, 30.0) << output_of(result);
  // Every child started one (four cells, a warm-up round and a measured one).
  EXPECT_GE(pids_in(pids).size(), 4u);
  expect_all_gone(pids);
}

// The --import probe runs each module in a fresh free-threaded process of its own (no cgroup):
// a module that daemonizes at import neither hangs the probe nor outlives it.
TEST(UntrustedCode, ADaemonStartedByAnImportedModuleNeitherHangsTheProbeNorOutlivesIt) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  const fs::path pids = dir.path() / "daemons.txt";
  const auto venv = test::make_venv(py.ft, dir.path() / "venv");
  test::write_file(venv.site_packages / "gg_daemon.py", daemonizing_python(pids));
  const auto result = gilguard({"run", "--gil", py.gil.string(), "--ft", venv.python.string(),
                                "--import", "gg_daemon", "--range", "1000", "--threads", "1",
                                "--rounds", "1", "--output", (dir.path() / "r.json").string()},
                               util::current_environment(), dir.path(), 60s);
  EXPECT_FALSE(result.timed_out) << "gilguard was still reading after 60 s\n" << output_of(result);
  EXPECT_NE(result.stderr_text.find("gg_daemon"), std::string::npos) << output_of(result);
  expect_all_gone(pids);
}

// A CPython build whose configure starts a daemon writing to the stderr it inherited (a pipe
// gilguard reads): the build finishes, says what it ended, and the daemon is gone.
TEST(UntrustedCode, ADaemonStartedByConfigureNeitherHangsTheBuildNorOutlivesIt) {
  test::TempDir dir;
  const fs::path pids = dir.path() / "daemons.txt";
  const fs::path source = dir.path() / "cpython";
  test::make_fake_cpython(source);
  const std::string configure = test::read_file(source / "configure");
  const auto shebang = configure.find('\n') + 1;
  test::write_file(source / "configure",
                   configure.substr(0, shebang) +
                       "( setsid sh -c 'echo $$ >> \"$1\"; while :; do echo \"configure daemon\" "
                       ">&2; sleep 0.2; done' sh '" +
                       pids.string() + "' & )\nwhile [ ! -s '" + pids.string() +
                       "' ]; do sleep 0.01; done\n" + configure.substr(shebang));
  fs::permissions(source / "configure", fs::perms::owner_all, fs::perm_options::add);
  const auto result = gilguard({"build", "--source", source.string(), "--prefix",
                                (dir.path() / "prefix").string(), "--flavor", "gil"},
                               util::current_environment(), dir.path(), 60s);
  EXPECT_FALSE(result.timed_out) << "gilguard was still reading after 60 s\n" << output_of(result);
  EXPECT_EQ(result.exit_code, 0) << output_of(result);
  EXPECT_NE(result.stderr_text.find("[gil] configure done in"), std::string::npos)
      << output_of(result);
  // The daemon, and the `sleep` it was running when it was killed.
  EXPECT_NE(result.stderr_text.find("processes running, which gilguard ended"), std::string::npos)
      << output_of(result);
  expect_all_gone(pids);
}

// ---- a child's stderr ---------------------------------------------------------------------------

// Every child fails at import after printing invalid UTF-8 to stderr: its tail goes into the
// failures of the results file, which is still valid JSON that `gilguard compare` reads back (it
// reports the failed checks, exit 1, where an unreadable file would be exit 2).
TEST(UntrustedCode, InvalidUtf8FromAFailingChildLeavesAResultsFileThatReadsBack) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  test::write_file(dir.path() / "bad.py",
                   "import os, sys\n"
                   "os.write(2, b'bad bytes: \\xff\\xfe \\xc3 (\\xed\\xa0\\x80) end\\n')\n"
                   "sys.exit(3)\n\n"
                   "def workload(i):\n    return i\n");
  const fs::path results = dir.path() / "r.json";
  const auto ran =
      gilguard({"run", "--gil", py.gil.string(), "--ft", py.ft.string(), "--workload", "bad.py",
                "--range", "1000", "--threads", "1", "--rounds", "1", "--output", results.string()},
               util::current_environment(), dir.path(), 120s);
  EXPECT_EQ(ran.exit_code, 1) << output_of(ran);
  const auto decoded = baseline::results_from_json_text(test::read_file(results));
  ASSERT_TRUE(decoded) << decoded.error().message;
  bool replaced = false;
  for (const auto& sample : decoded->samples)
    replaced = replaced ||
               sample.failure.find("bad bytes: \uFFFD\uFFFD \uFFFD (\uFFFD\uFFFD\uFFFD) end") !=
                   std::string::npos;
  EXPECT_TRUE(replaced) << test::read_file(results);
  // `gilguard compare` reads it back and reports the failed checks (exit 1; a file it cannot
  // read is exit 2, "syntax error").
  const auto compared =
      gilguard({"compare", results.string(), "--output", (dir.path() / "c.json").string()},
               util::current_environment(), dir.path(), 60s);
  EXPECT_EQ(compared.exit_code, 1) << output_of(compared);
  EXPECT_EQ(compared.stderr_text.find("syntax error"), std::string::npos) << output_of(compared);
  EXPECT_NE(compared.stdout_text.find("bad bytes"), std::string::npos) << output_of(compared);
}

}  // namespace
}  // namespace gilguard
