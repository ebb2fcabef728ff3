// `gilguard baseline update` and `gilguard baseline show`, run as the real binary.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "gilguard/baseline/codec.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/baseline/store.hpp"
#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"
#include "support/workflow_log.hpp"
#include "unit/baseline/baseline_samples.hpp"

namespace gilguard::baseline {
namespace {

namespace fs = std::filesystem;

class BaselineCommandTest : public testing::Test {
 protected:
  BaselineCommandTest() {
    fs::create_directories(m_tmp.path() / "home");
    m_env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
             {"HOME", (m_tmp.path() / "home").string()},
             {"GIT_CONFIG_NOSYSTEM", "1"},
             {"GIT_AUTHOR_NAME", "Ada Author"},
             {"GIT_AUTHOR_EMAIL", "ada@example.com"},
             {"GIT_COMMITTER_NAME", "Carl Committer"},
             {"GIT_COMMITTER_EMAIL", "carl@example.com"}};
  }

  // Runs `gilguard args...` in the temporary directory.
  util::ProcessResult gilguard(std::vector<std::string> args) {
    args.insert(args.begin(), test::gilguard_binary().string());
    return run(std::move(args));
  }

  util::ProcessResult run(const std::vector<std::string>& args) {
    util::ProcessOptions options;
    options.working_directory = m_tmp.path();
    options.timeout = std::chrono::seconds(60);
    auto result = util::run_process(args, m_env, options);
    EXPECT_TRUE(result.has_value());
    return result ? *result : util::ProcessResult{};
  }

  // Writes a results file for `commit` and returns its path.
  std::string results_file(const std::string& name, const RunResult& results) {
    const fs::path path = m_tmp.path() / name;
    test::write_file(path, results_to_json_text(results));
    return path.string();
  }

  fs::path baseline_file() const {
    return m_tmp.path() / "baselines" / (std::string(testdata::k_key) + ".json");
  }

  test::TempDir m_tmp;
  util::Environment m_env;
};

TEST_F(BaselineCommandTest, UpdateAddsRunsAndShowListsThem) {
  const auto first = results_file("r1.json", testdata::sample_results(4, "1111111111111111aa"));
  const auto second = results_file("r2.json", testdata::sample_results(4, "2222222222222222bb"));
  auto r = gilguard({"baseline", "update", first});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(r.stderr_text, "gilguard: updated baselines/" + std::string(testdata::k_key) +
                               ".json: key " + testdata::k_key + ", 1 run kept (at most 10)\n");
  r = gilguard({"baseline", "update", second, "--baselines", "baselines"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;

  auto loaded = load(m_tmp.path() / "baselines", testdata::k_key);
  ASSERT_TRUE(loaded && *loaded) << (loaded ? "no file" : loaded.error().message);
  ASSERT_EQ((*loaded)->runs.size(), 2u);
  EXPECT_EQ((*loaded)->runs[0].summary.provenance.commit, "1111111111111111aa");
  EXPECT_EQ((*loaded)->runs[1].summary.provenance.commit, "2222222222222222bb");

  r = gilguard({"baseline", "show"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find(std::string(testdata::k_key) + "  (baselines/"), std::string::npos)
      << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("2 runs, oldest first"), std::string::npos) << r.stdout_text;
  EXPECT_NE(
      r.stdout_text.find("  2026-11-25T08:00:00Z  222222222222  0.1.0     unknown  unknown  1.8"),
      std::string::npos)
      << r.stdout_text;

  // --max-runs 1 keeps only the newest (the same run again is not added a second time).
  const auto third = results_file("r3.json", testdata::sample_results(4, "3333333333333333cc"));
  r = gilguard({"baseline", "update", third, "--max-runs", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  loaded = load(m_tmp.path() / "baselines", testdata::k_key);
  ASSERT_EQ((*loaded)->runs.size(), 1u);
  EXPECT_EQ((*loaded)->runs[0].summary.provenance.commit, "3333333333333333cc");
}

TEST_F(BaselineCommandTest, UpdateWarnsWhenTheKeptRunsHaveDrifted) {
  // Six runs; the newest three scale 10% less: each update passes, the window's ends do not.
  std::string out;
  for (int i = 1; i <= 6; ++i) {
    RunResult results = testdata::sample_results(6, fmt::format("{:016d}aa", i));
    if (i > 3)
      for (Sample& s : results.samples)
        if (s.cell.flavor == Flavor::ft && s.cell.threads == 2) s.t_par /= 0.9;
    if (i == 6) m_env["GITHUB_ACTIONS"] = "true";
    const auto r =
        gilguard({"baseline", "update", results_file(fmt::format("r{}.json", i), results)});
    ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
    const bool warned = r.stderr_text.find(
                            "gilguard: warning: The baseline has drifted: the "
                            "free-threaded speedup at 2 threads fell 10.0% from "
                            "1.83x (mean of the oldest 3 runs kept) to 1.65x") != std::string::npos;
    EXPECT_EQ(warned, i == 6) << i << ": " << r.stderr_text;
    out = r.stdout_text;
  }
  EXPECT_EQ(out.rfind("::warning title=Baseline drifted::The baseline has drifted", 0), 0u) << out;
}

TEST_F(BaselineCommandTest, AnAbRunIsNotABaselineRun) {
  auto results = testdata::sample_results(4, "1111111111111111aa");
  results.base_gil = results.gil;
  results.base_ft = results.ft;
  results.base_label = "v3.13.4";
  const auto r = gilguard({"baseline", "update", results_file("ab.json", results)});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("is an A/B run (head against base v3.13.4)"), std::string::npos)
      << r.stderr_text;
  EXPECT_FALSE(fs::exists(baseline_file()));
}

TEST_F(BaselineCommandTest, BaselineKeyOverridesAndIsValidated) {
  const auto results = results_file("r.json", testdata::sample_results(3));
  auto r = gilguard({"baseline", "update", results, "--baseline-key", "ubuntu-latest.4cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_TRUE(fs::exists(m_tmp.path() / "baselines" / "ubuntu-latest.4cpu.json"));

  r = gilguard({"baseline", "update", results, "--baseline-key", "../escape"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: --baseline-key: '../escape' has a character that is not allowed at "
            "position 3; a baseline key names the file <key>.json, so it must be 1 to 128 "
            "characters from A-Z a-z 0-9 '.' '_' '-' and start with a letter or digit\n");

  r = gilguard({"baseline", "update", results, "--max-runs", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: --max-runs 0: pass a whole number from 1 to 1000 (how many runs the "
            "baseline keeps, newest last; the default is 10)\n");
}

TEST_F(BaselineCommandTest, CorruptBaselineIsNotRewritten) {
  const auto results = results_file("r.json", testdata::sample_results(3));
  const std::string corrupt = "{\n  \"schema_version\": 1,\n  \"key\": \n}\n";
  test::write_file(baseline_file(), corrupt);
  auto r = gilguard({"baseline", "update", results});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: baseline file baselines/" + std::string(testdata::k_key) +
                ".json: line 4, column 1: '}' where a value should follow ':'; fix the JSON "
                "there (a file gilguard wrote has no syntax error: was it edited?) "
                "(nothing was written)\n");
  EXPECT_EQ(test::read_file(baseline_file()), corrupt);

  r = gilguard({"baseline", "show"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: baseline file baselines/" + std::string(testdata::k_key) +
                ".json: line 4, column 1: '}' where a value should follow ':'; fix the JSON "
                "there (a file gilguard wrote has no syntax error: was it edited?)\n");

  // --reset is the way out: it replaces the file without reading it.
  r = gilguard({"baseline", "update", results, "--reset"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  auto loaded = load(m_tmp.path() / "baselines", testdata::k_key);
  ASSERT_TRUE(loaded && *loaded);
  EXPECT_EQ((*loaded)->runs.size(), 1u);
}

TEST_F(BaselineCommandTest, NewerSchemaIsNotRewritten) {
  const auto results = results_file("r.json", testdata::sample_results(3));
  const std::string newer = "{\"schema_version\": 3, \"key\": \"whatever\"}\n";
  test::write_file(baseline_file(), newer);
  auto r = gilguard({"baseline", "update", results});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: baseline file baselines/" + std::string(testdata::k_key) +
                ".json: schema_version: unsupported version 3; this gilguard reads "
                "schema_version 1 to 2. Use the gilguard release that wrote the file, or replace "
                "it with 'gilguard baseline update RESULTS --reset' (nothing was written)\n");
  EXPECT_EQ(test::read_file(baseline_file()), newer);
}

TEST_F(BaselineCommandTest, ResultsForAnotherKeyAreRefused) {
  // A baseline recorded under a runner label for range 1000000; results for range 500000.
  const auto recorded = results_file("r1.json", testdata::sample_results(3));
  ASSERT_EQ(gilguard({"baseline", "update", recorded, "--baseline-key", "runner"}).exit_code, 0);
  const std::string before = test::read_file(m_tmp.path() / "baselines" / "runner.json");
  RunResult other = testdata::sample_results(3);
  other.parameters.range = 500'000;
  other.parameters.expected_count = 41'538;  // primes below 500,000
  for (auto& sample : other.samples) sample.count_seq = sample.count_par = 41'538;
  const auto other_file = results_file("r2.json", other);
  auto r = gilguard({"baseline", "update", other_file, "--baseline-key", "runner"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: baseline file baselines/runner.json: the results are for key "
            "'linux-x86_64-cpu2-py3.13-primes-r500000' (workload primes, range 500000), but the "
            "baseline holds key 'runner' (workload primes, range 1000000). Pass --baseline-key "
            "with a key recorded for this workload, or point --baselines at the directory that "
            "holds its baselines (nothing was written)\n");
  EXPECT_EQ(test::read_file(m_tmp.path() / "baselines" / "runner.json"), before);

  // A file whose key field disagrees with its name.
  fs::copy_file(m_tmp.path() / "baselines" / "runner.json", baseline_file());
  r = gilguard({"baseline", "update", recorded});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: baseline file baselines/" + std::string(testdata::k_key) +
                ".json: its \"key\" is 'runner', but the file name says '" + testdata::k_key +
                "'. Rename the file to runner.json, or correct its \"key\" field (nothing was "
                "written)\n");
}

TEST_F(BaselineCommandTest, ResultsWithFailedChecksAreRefused) {
  RunResult results = testdata::sample_results(3);
  results.failures.push_back({"gil-enabled", "the GIL was enabled at the end of round 2"});
  const auto file = results_file("r.json", results);
  auto r = gilguard({"baseline", "update", file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: results file " + file +
                " records 1 failed check; a baseline must come from a run without failures, so "
                "nothing was written. Fix the cause and record a new run:\n"
                "  gil-enabled: the GIL was enabled at the end of round 2\n");
  EXPECT_FALSE(fs::exists(m_tmp.path() / "baselines"));
}

TEST_F(BaselineCommandTest, MissingResultsFile) {
  auto r = gilguard({"baseline", "update", "nope.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: cannot read nope.json: No such file or directory; pass the results "
            "file that 'gilguard run --output FILE' or 'gilguard check' wrote\n");
}

TEST_F(BaselineCommandTest, CommitRecordsOnlyTheBaseline) {
  const fs::path repo = m_tmp.path();
  ASSERT_TRUE(run({"git", "init", "-q", "-b", "main"}).success());
  test::write_file(repo / "README.md", "x\n");
  ASSERT_TRUE(run({"git", "add", "README.md"}).success());
  ASSERT_TRUE(run({"git", "commit", "-q", "-m", "init"}).success());
  test::write_file(repo / "staged.txt", "mine\n");
  ASSERT_TRUE(run({"git", "add", "staged.txt"}).success());

  const auto results = results_file("r.json", testdata::sample_results(3, "feedface00112233"));
  auto r = gilguard({"baseline", "update", results, "--commit"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("gilguard: committed "), std::string::npos) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find(" as Carl Committer <carl@example.com>; push it with 'git push'\n"),
            std::string::npos)
      << r.stderr_text;

  const std::string path = "baselines/" + std::string(testdata::k_key) + ".json";
  EXPECT_EQ(run({"git", "show", "--name-only", "--format=", "HEAD"}).stdout_text, path + "\n");
  EXPECT_EQ(run({"git", "status", "--porcelain"}).stdout_text, "A  staged.txt\n?? r.json\n");
  EXPECT_EQ(run({"git", "log", "-1", "--format=%B"}).stdout_text,
            "baselines: update " + std::string(testdata::k_key) +
                " from feedface0011\n\n"
                "Measured on source commit feedface00112233 at 2026-11-25T08:00:00Z by gilguard "
                "0.1.0.\n"
                "The baseline now keeps 1 run.\n\n"
                "Files:\n  " +
                path + "\n\n");
}

// The failed checks are derived again from the samples: an edited file cannot hide them.
TEST_F(BaselineCommandTest, SamplesThatFailTheChecksAreRefused) {
  RunResult results = testdata::sample_results(3);
  results.samples[6].count_seq = 1;
  auto r = gilguard({"baseline", "update", results_file("counts.json", results)});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find(" records 1 failed check; a baseline must come from a run without "
                               "failures, so nothing was written. Fix the cause and record a new "
                               "run:\n  wrong-count: ft interpreter, 1 thread: wrong result"),
            std::string::npos)
      << r.stderr_text;

  results = testdata::sample_results(3);
  results.samples[7].gil_enabled = true;
  r = gilguard({"baseline", "update", results_file("gil.json", results)});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("\n  gil-enabled: ft interpreter, 2 threads: the GIL was enabled "
                               "at run time in 1 of 4 runs"),
            std::string::npos)
      << r.stderr_text;
  EXPECT_FALSE(fs::exists(m_tmp.path() / "baselines"));
}

// A run the loader would reject is refused before writing, so the baseline stays usable.
TEST_F(BaselineCommandTest, RunsThatWouldPoisonTheBaselineAreRefused) {
  ASSERT_EQ(gilguard({"baseline", "update", results_file("good.json", testdata::sample_results(3))})
                .exit_code,
            0);
  const std::string before = test::read_file(baseline_file());

  RunResult tiny = testdata::sample_results(3, "0123456789abcdef");
  tiny.samples[5].t_par = 1e-320;
  auto r = gilguard({"baseline", "update", results_file("tiny.json", tiny)});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("tiny.json: samples[5].t_par: "), std::string::npos)
      << r.stderr_text;
  EXPECT_EQ(test::read_file(baseline_file()), before);

  RunResult range_zero = testdata::sample_results(3, "0123456789abcdef");
  range_zero.parameters.range = 0;
  r = gilguard({"baseline", "update", results_file("zero.json", range_zero)});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(
      r.stderr_text.find("zero.json: parameters.range: 0 is outside the bounds of --range (100 to "
                         "100000000)"),
      std::string::npos)
      << r.stderr_text;
  EXPECT_EQ(std::vector<fs::path>(fs::directory_iterator(m_tmp.path() / "baselines"), {}),
            std::vector<fs::path>{baseline_file()});

  // The baseline still takes good runs and still shows.
  r = gilguard({"baseline", "update",
                results_file("next.json", testdata::sample_results(3, "fedcba9876543210"))});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  r = gilguard({"baseline", "show"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("2 runs, oldest first"), std::string::npos) << r.stdout_text;
}

// --commit checks the repository before writing: a refused commit changes nothing.
TEST_F(BaselineCommandTest, CommitOutsideARepositoryWritesNothing) {
  const auto results = results_file("r.json", testdata::sample_results(3));
  auto r = gilguard({"baseline", "update", results, "--commit"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text.rfind("gilguard: error: --commit (nothing was written to baselines/" +
                                    std::string(testdata::k_key) +
                                    ".json): no git repository contains baselines (",
                                0),
            0u)
      << r.stderr_text;
  EXPECT_FALSE(fs::exists(m_tmp.path() / "baselines"));
}

TEST_F(BaselineCommandTest, CommitInABareRepositoryWritesNothing) {
  ASSERT_TRUE(run({"git", "init", "-q", "--bare", "repo.git"}).success());
  const auto results = results_file("r.json", testdata::sample_results(3));
  auto r =
      gilguard({"baseline", "update", results, "--baselines", "repo.git/baselines", "--commit"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find(" is bare; --commit needs a work tree"), std::string::npos)
      << r.stderr_text;
  EXPECT_FALSE(fs::exists(m_tmp.path() / "repo.git" / "baselines"));
}

TEST_F(BaselineCommandTest, CommitWithBaselinesOutsideTheWorkTreeWritesNothing) {
  fs::create_directories(m_tmp.path() / "repo");
  fs::create_directories(m_tmp.path() / "elsewhere");
  ASSERT_TRUE(run({"git", "-C", "repo", "init", "-q", "-b", "main"}).success());
  fs::create_directory_symlink("../elsewhere", m_tmp.path() / "repo" / "baselines");
  const auto results = results_file("r.json", testdata::sample_results(3));
  auto r = gilguard({"baseline", "update", results, "--baselines", "repo/baselines", "--commit"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text.rfind("gilguard: error: --commit (nothing was written to ", 0), 0u)
      << r.stderr_text;
  EXPECT_TRUE(fs::is_empty(m_tmp.path() / "elsewhere"));
}

TEST_F(BaselineCommandTest, CommitWithTheIndexLockedWritesNothingAndARetryAddsTheRunOnce) {
  ASSERT_TRUE(run({"git", "init", "-q", "-b", "main"}).success());
  test::write_file(m_tmp.path() / "README.md", "x\n");
  ASSERT_TRUE(run({"git", "add", "README.md"}).success());
  ASSERT_TRUE(run({"git", "commit", "-q", "-m", "init"}).success());
  const std::string head = run({"git", "rev-parse", "HEAD"}).stdout_text;
  test::write_file(m_tmp.path() / ".git" / "index.lock", "");

  const auto results = results_file("r.json", testdata::sample_results(3));
  auto r = gilguard({"baseline", "update", results, "--commit"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("index.lock exists: another git process is using the repository"),
            std::string::npos)
      << r.stderr_text;
  EXPECT_FALSE(fs::exists(baseline_file()));
  EXPECT_EQ(run({"git", "rev-parse", "HEAD"}).stdout_text, head);

  fs::remove(m_tmp.path() / ".git" / "index.lock");
  r = gilguard({"baseline", "update", results, "--commit"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  // The same results again (a retry): the run is not added a second time.
  r = gilguard({"baseline", "update", results, "--commit"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("already holds the run in " + results), std::string::npos)
      << r.stderr_text;
  auto loaded = load(m_tmp.path() / "baselines", testdata::k_key);
  ASSERT_TRUE(loaded && *loaded);
  EXPECT_EQ((*loaded)->runs.size(), 1u);
  EXPECT_EQ(run({"git", "rev-list", "--count", "HEAD"}).stdout_text, "2\n");
}

// A file written but not committed (the commit failed after the write) is committed by a retry
// without adding its run twice.
TEST_F(BaselineCommandTest, RetryCommitsAFileThatAlreadyHoldsTheRun) {
  ASSERT_TRUE(run({"git", "init", "-q", "-b", "main"}).success());
  const auto results = results_file("r.json", testdata::sample_results(3));
  ASSERT_EQ(gilguard({"baseline", "update", results}).exit_code, 0);
  const std::string written = test::read_file(baseline_file());
  auto r = gilguard({"baseline", "update", results, "--commit"});
  ASSERT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("gilguard: committed "), std::string::npos) << r.stderr_text;
  EXPECT_EQ(test::read_file(baseline_file()), written);
  EXPECT_EQ(run({"git", "status", "--porcelain", "baselines"}).stdout_text, "");
}

TEST_F(BaselineCommandTest, OutsideTextInABaselineNeverBecomesAWorkflowCommand) {
  Baseline hostile = testdata::sample_baseline(1);
  auto& p = hostile.runs[0].summary.provenance;
  p.date = "\n::error::date\r::warning::cr";
  p.gilguard_version = "\x1b[31m##[add-mask]x";
  test::write_file(baseline_file(), to_json_text(hostile));
  auto r = gilguard({"baseline", "show"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_EQ(test::unsafe_log_lines(r.stdout_text), std::vector<std::string>{}) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find(": :error::date?::warning::cr"), std::string::npos) << r.stdout_text;

  // A metric name with a command in it: the loader's error names it, defused.
  std::string text = to_json_text(testdata::sample_baseline(1));
  const std::string metric = "\"ft-speedup-2\"";
  text.replace(text.find(metric), metric.size(), "\"x\\n::error::metric\"");
  test::write_file(baseline_file(), text);
  r = gilguard({"baseline", "show"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(test::unsafe_log_lines(r.stderr_text), std::vector<std::string>{}) << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("\n: :error::metric: not a metric name"), std::string::npos)
      << r.stderr_text;
}

TEST_F(BaselineCommandTest, ShowWithoutBaselines) {
  auto r = gilguard({"baseline", "show", "--baselines", "none"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.stdout_text,
            "No baselines in none. Record one with 'gilguard baseline update RESULTS --baselines "
            "none'.\n");
}

}  // namespace
}  // namespace gilguard::baseline
