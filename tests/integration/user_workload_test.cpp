// A user workload that calls a function of an installed package, end to end with the real
// interpreters: the package lives in venvs of both builds (the interpreters gilguard is given are
// the ones the package is installed in; the children stay isolated with -I). A baseline is
// recorded with the lock-free version; the next version takes a module-level threading.Lock
// around its inner loop, and `gilguard check` must flag the drop in free-threaded scaling. The
// lock-free version checked against the same baseline (A/A) must not.

#include <gtest/gtest.h>

#include <memory>

#include "gilguard/baseline/comparison_codec.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;

// Version 1 of the package: a CPU-bound inner loop and nothing shared.
constexpr const char* k_lock_free =
    "def crunch(i):\n"
    "    total = 0\n"
    "    for k in range(120):\n"
    "        total += (i * k) % 7\n"
    "    return total\n";

// Version 2: the same loop under a module-level lock, so threads take turns.
constexpr const char* k_locked =
    "import threading\n"
    "\n"
    "_LOCK = threading.Lock()\n"
    "\n"
    "\n"
    "def crunch(i):\n"
    "    with _LOCK:\n"
    "        total = 0\n"
    "        for k in range(120):\n"
    "            total += (i * k) % 7\n"
    "    return total\n";

class UserWorkload : public testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_INTERPRETERS(py);
    m_gil = test::make_venv(py.gil, m_dir.path() / "venv-gil");
    m_ft = test::make_venv(py.ft, m_dir.path() / "venv-ft");
    install(k_lock_free);
    // The user's repository: the workload file and its baselines, under git.
    test::write_file(repo() / "bench_crunch.py",
                     "import gg_crunch\n\n\ndef workload(i):\n    return gg_crunch.crunch(i)\n");
    test::run_git(repo(), {"init", "-q", "-b", "main"});
    test::run_git(repo(), {"add", "bench_crunch.py"});
    test::run_git(repo(), {"commit", "-q", "-m", "workload"});
  }

  // Installs `source` as the package gg_crunch in both venvs (as pip would, minus the download).
  void install(const std::string& source) {
    for (const auto* venv : {&m_gil, &m_ft})
      test::write_file(venv->site_packages / "gg_crunch.py", source);
  }

  fs::path repo() const { return m_dir.path() / "repo"; }

  // `gilguard COMMAND` in the repository on the venvs' interpreters and the workload file, with a
  // small fixed range (about 0.1 s per sequential region) and ten rounds: enough that a round or
  // two set aside as disturbed on a busy machine leave the verdict its minimum of five.
  util::ProcessResult gilguard(const std::string& command, std::vector<std::string> more) {
    std::vector<std::string> argv{test::gilguard_binary().string(),
                                  command,
                                  "--gil",
                                  m_gil.python.string(),
                                  "--ft",
                                  m_ft.python.string(),
                                  "--workload",
                                  "bench_crunch.py",
                                  "--range",
                                  "12000",
                                  "--threads",
                                  "1,2",
                                  "--rounds",
                                  "10"};
    argv.insert(argv.end(), more.begin(), more.end());
    util::ProcessOptions options;
    options.timeout = std::chrono::minutes(10);
    options.working_directory = repo();
    // Outside GitHub Actions: a terminal report, no workflow commands.
    const util::Environment env{{"PATH", "/usr/bin:/bin"}, {"HOME", m_dir.path().string()}};
    auto result = util::run_process(argv, env, options);
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : util::ProcessResult{};
  }

  test::TempDir m_dir;
  test::Venv m_gil;
  test::Venv m_ft;
};

TEST_F(UserWorkload, ALockInTheInstalledPackageIsARegressionAndTheLockFreeVersionPassesAA) {
  // The baseline, recorded with the lock-free version and committed.
  const auto recorded = gilguard("run", {"--output", "v1.json"});
  ASSERT_EQ(recorded.exit_code, 0) << recorded.stderr_text << recorded.stdout_text;
  util::ProcessOptions in_repo;
  in_repo.working_directory = repo();
  in_repo.timeout = std::chrono::minutes(1);
  const util::Environment git_env{
      {"PATH", "/usr/bin:/bin"},      {"HOME", m_dir.path().string()},
      {"GIT_AUTHOR_NAME", "Test"},    {"GIT_AUTHOR_EMAIL", "test@example.com"},
      {"GIT_COMMITTER_NAME", "Test"}, {"GIT_COMMITTER_EMAIL", "test@example.com"}};
  const auto update = util::run_process({test::gilguard_binary().string(), "baseline", "update",
                                         "v1.json", "--baselines", "baselines", "--commit"},
                                        git_env, in_repo);
  ASSERT_TRUE(update && update->success())
      << (update ? update->stderr_text : update.error().message);
  const auto v1 = baseline::results_from_json_text(test::read_file(repo() / "v1.json"));
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(v1->parameters.workload, "file:bench_crunch.py:workload");
  EXPECT_TRUE(fs::exists(repo() / "baselines"));
  EXPECT_NE(test::run_git(repo(), {"log", "--oneline", "-1"}).find("baselines"), std::string::npos);

  // Version 2 takes the lock: the free-threaded speedup at 2 threads falls to about 1.
  install(k_locked);
  const auto locked = gilguard("check", {"--results", "v2.json", "--comparison", "v2-cmp.json"});
  EXPECT_EQ(locked.exit_code, 1) << locked.stdout_text << locked.stderr_text;
  // The verdict itself, not a failed check (which also exits 1).
  EXPECT_NE(locked.stdout_text.find("gilguard: Regression."), std::string::npos)
      << locked.stdout_text;
  // Not a failed check: the results still agree, only the scaling dropped.
  EXPECT_EQ(locked.stdout_text.find("wrong result"), std::string::npos) << locked.stdout_text;
  // Where the time went (issue 23): the regression's message splits the drop into its parts
  // against the baseline's, which the baseline recorded, and so does the comparison file.
  EXPECT_NE(locked.stdout_text.find("(each part against the baseline's)"), std::string::npos)
      << locked.stdout_text;
  EXPECT_NE(locked.stdout_text.find("Where the time went: free-threaded speedup against "
                                    "processes at 2 threads"),
            std::string::npos)
      << locked.stdout_text;
  const auto compared = baseline::read_comparison_file(repo() / "v2-cmp.json");
  ASSERT_TRUE(compared) << compared.error().message;
  bool split = false;
  for (const auto& metric : compared->metrics) {
    if (metric.id != MetricId{MetricKind::relative, Flavor::ft, 2}) continue;
    split = metric.current.split && metric.baseline_split;
    // The lock cost the threads more than the baseline's lock-free code did.
    if (split) {
      EXPECT_GT(metric.current.split->total(), metric.baseline_split->total());
    }
  }
  EXPECT_TRUE(split) << "ft-relative-2 carries no split, or no baseline split";

  // Version 1 again: the same code as the baseline's, no regression (A/A).
  install(k_lock_free);
  const auto again = gilguard("check", {"--results", "v1b.json", "--comparison", "v1b-cmp.json"});
  EXPECT_EQ(again.exit_code, 0) << again.stdout_text << again.stderr_text;
  EXPECT_EQ(again.stdout_text.find("changed since the baseline"), std::string::npos)
      << again.stdout_text;
}

// Version 3: the package starts a thread at import that spins beside the workers.
constexpr const char* k_hog_thread =
    "import threading\n"
    "\n"
    "\n"
    "def _spin():\n"
    "    n = 0\n"
    "    while True:\n"
    "        n += 1\n"
    "\n"
    "\n"
    "threading.Thread(target=_spin, name='gg-spinner', daemon=True).start()\n"
    "\n"
    "\n";

// Version 4: the lock-free package, which also starts a process at import that leaves the child's
// session and spins (until gilguard ends it with the child: it is in the child's cgroup, or found
// in /proc).
constexpr const char* k_hog_process =
    "import os\n"
    "import subprocess\n"
    "import sys\n"
    "\n"
    "if not os.environ.get('GG_HOG'):\n"
    "    subprocess.Popen([sys.executable, '-c', 'while True: pass'], start_new_session=True,\n"
    "                     env={'GG_HOG': '1'})\n"
    "\n"
    "\n";

TEST_F(UserWorkload, BackgroundWorkTheCodeStartsIsARegressionThatNamesWhatBurnedIt) {
  // No baseline at all: background work is judged against its fixed limit, so the run fails
  // though nothing else can be compared.
  install(std::string(k_hog_thread) + k_lock_free);
  const auto thread = gilguard("check", {"--results", "t.json", "--comparison", "t-cmp.json"});
  EXPECT_EQ(thread.exit_code, 1) << thread.stdout_text << thread.stderr_text;
  EXPECT_NE(thread.stdout_text.find("outside its timed workers on the free-threaded build"),
            std::string::npos)
      << thread.stdout_text;
  EXPECT_NE(thread.stdout_text.find("thread \"gg-spinner\""), std::string::npos)
      << thread.stdout_text;

  install(std::string(k_hog_process) + k_lock_free);
  const auto process = gilguard("check", {"--results", "p.json", "--comparison", "p-cmp.json"});
  EXPECT_EQ(process.exit_code, 1) << process.stdout_text << process.stderr_text;
  EXPECT_NE(process.stdout_text.find("outside its timed workers"), std::string::npos)
      << process.stdout_text;
  EXPECT_NE(process.stdout_text.find("What burned it: process"), std::string::npos)
      << process.stdout_text;

  // The quiet version: no background regression, and no spinner left running anywhere.
  install(k_lock_free);
  const auto quiet = gilguard("check", {"--results", "q.json", "--comparison", "q-cmp.json"});
  EXPECT_EQ(quiet.stdout_text.find("outside its timed workers"), std::string::npos)
      << quiet.stdout_text;
  const auto left = util::run_process(
      {"/bin/sh", "-c", "ps -eo args | grep -c '^[^ ]*python[^ ]* -c while True' || true"},
      {{"PATH", "/usr/bin:/bin"}});
  ASSERT_TRUE(left);
  EXPECT_EQ(left->stdout_text, "0\n") << "a hog process outlived its child";
}

}  // namespace
}  // namespace gilguard
