// The workload file as it runs, end to end with the real binary and interpreters (issue 21,
// item 4): the file digested is the file the children run, also through a symlink followed by
// "..", and two files of one name in two folders of a repository have two baseline keys.

#include <gtest/gtest.h>

#include "gilguard/baseline/key.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/util/process.hpp"
#include "gilguard/util/sha256.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_good = "def workload(i):\n    return i * 3 % 7\n";
constexpr const char* k_raises = "def workload(i):\n    raise RuntimeError('the wrong file ran')\n";

class WorkloadFiles : public testing::Test {
 protected:
  // `gilguard run` in `dir` on `workload`: one round, a small range, 1 and 2 threads.
  util::ProcessResult run(const test::Interpreters& py, const fs::path& dir,
                          const std::string& workload, const std::string& output) {
    util::ProcessOptions options;
    options.timeout = std::chrono::minutes(5);
    options.working_directory = dir;
    auto result =
        util::run_process({test::gilguard_binary().string(), "run", "--gil", py.gil.string(),
                           "--ft", py.ft.string(), "--workload", workload, "--range", "3000",
                           "--threads", "1,2", "--rounds", "1", "--output", output},
                          {{"PATH", "/usr/bin:/bin"}, {"HOME", m_dir.path().string()}}, options);
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : util::ProcessResult{};
  }

  RunResult results(const fs::path& path) {
    auto decoded = baseline::results_from_json_text(test::read_file(path));
    if (!decoded) throw std::runtime_error(decoded.error().message);
    return *decoded;
  }

  test::TempDir m_dir;
};

// "work/link/../b.py" with work/link -> ../real/sub: the kernel opens real/b.py; the lexical
// reading names work/b.py, which raises. The run must digest and run real/b.py.
TEST_F(WorkloadFiles, ASymlinkFollowedByDotDotDigestsAndRunsOneFile) {
  REQUIRE_INTERPRETERS(py);
  const auto repo = m_dir.path() / "repo";
  test::write_file(repo / "real/sub/keep", "");
  test::write_file(repo / "real/b.py", k_good);
  test::write_file(repo / "work/b.py", k_raises);
  fs::create_directory_symlink("../real/sub", repo / "work/link");
  test::run_git(repo, {"init", "-q", "-b", "main"});

  const auto r = run(py, repo, "work/link/../b.py", "r.json");
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text << r.stdout_text;
  EXPECT_EQ(r.stderr_text.find("the wrong file ran"), std::string::npos) << r.stderr_text;
  const auto run = results(repo / "r.json");
  EXPECT_EQ(run.parameters.workload_digest, util::sha256_hex(k_good));
  EXPECT_EQ(run.parameters.workload, "file:real/b.py:workload");
}

// Two files named w.py in two folders: two labels, two keys, two baseline files.
TEST_F(WorkloadFiles, SameNamedFilesInTwoFoldersHaveTwoKeysAndTwoBaselines) {
  REQUIRE_INTERPRETERS(py);
  const auto repo = m_dir.path() / "repo";
  test::write_file(repo / "bench/a/w.py", k_good);
  test::write_file(repo / "bench/b/w.py", "def workload(i):\n    return i * 5 % 11\n");
  test::run_git(repo, {"init", "-q", "-b", "main"});

  // From a subfolder: the label is relative to the repository, not the current directory.
  ASSERT_EQ(run(py, repo / "bench", "a/w.py", "../a.json").exit_code, 0);
  ASSERT_EQ(run(py, repo, "bench/b/w.py", "b.json").exit_code, 0);
  const auto a = results(repo / "a.json");
  const auto b = results(repo / "b.json");
  EXPECT_EQ(a.parameters.workload, "file:bench/a/w.py:workload");
  EXPECT_EQ(b.parameters.workload, "file:bench/b/w.py:workload");
  EXPECT_NE(baseline::derive_key(a), baseline::derive_key(b));

  util::ProcessOptions options;
  options.working_directory = repo;
  options.timeout = std::chrono::minutes(1);
  for (const auto* file : {"a.json", "b.json"}) {
    const auto update =
        util::run_process({test::gilguard_binary().string(), "baseline", "update", file},
                          {{"PATH", "/usr/bin:/bin"}}, options);
    ASSERT_TRUE(update && update->success())
        << (update ? update->stderr_text : update.error().message);
  }
  EXPECT_TRUE(fs::exists(repo / "baselines" / (baseline::derive_key(a) + ".json")));
  EXPECT_TRUE(fs::exists(repo / "baselines" / (baseline::derive_key(b) + ".json")));
}

}  // namespace
}  // namespace gilguard
