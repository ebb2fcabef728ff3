// `gilguard compare` on careless and hostile input, run as the real binary: a misconfigured
// --baselines, a results file that failed its own checks or was edited, and outside text that
// must not become a workflow command.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "gilguard/baseline/key.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/baseline/store.hpp"
#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"
#include "support/workflow_log.hpp"
#include "unit/baseline/baseline_samples.hpp"

namespace gilguard::cli {
namespace {

namespace fs = std::filesystem;
namespace testdata = baseline::testdata;

class CompareCommandTest : public testing::Test {
 protected:
  // Runs `gilguard args...` in the temporary directory.
  util::ProcessResult gilguard(std::vector<std::string> args) {
    args.insert(args.begin(), test::gilguard_binary().string());
    util::ProcessOptions options;
    options.working_directory = m_tmp.path();
    options.timeout = std::chrono::seconds(60);
    auto result = util::run_process(args, {{"PATH", "/usr/bin:/bin"}}, options);
    EXPECT_TRUE(result.has_value());
    return result ? *result : util::ProcessResult{};
  }

  std::string results_file(const RunResult& results) {
    test::write_file(m_tmp.path() / "r.json", baseline::results_to_json_text(results));
    return "r.json";
  }

  // A baseline for the sample results' key in <tmp>/baselines.
  void record_baseline() {
    ASSERT_TRUE(baseline::save(m_tmp.path() / "baselines", testdata::sample_baseline(3)));
  }

  test::TempDir m_tmp;
};

TEST_F(CompareCommandTest, ReadableFolderWithoutTheKeyIsNoBaseline) {
  fs::create_directory(m_tmp.path() / "baselines");
  const auto r = gilguard({"compare", results_file(testdata::sample_results(4))});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("No baseline"), std::string::npos) << r.stdout_text;
}

TEST_F(CompareCommandTest, BaselinesThatIsAFileIsAConfigurationError) {
  test::write_file(m_tmp.path() / "baselines.json", "{}\n");
  const auto r = gilguard(
      {"compare", results_file(testdata::sample_results(4)), "--baselines", "baselines.json"});
  EXPECT_EQ(r.exit_code, 2) << r.stdout_text;
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: the baselines directory baselines.json is not a directory; point "
            "--baselines at a readable directory of baseline files (one <key>.json per runner "
            "class)\n");
  EXPECT_FALSE(fs::exists(m_tmp.path() / "gilguard-comparison.json"));
}

TEST_F(CompareCommandTest, BaselinesInASymlinkLoopIsAConfigurationError) {
  fs::create_directory_symlink("loop-b", m_tmp.path() / "loop-a");
  fs::create_directory_symlink("loop-a", m_tmp.path() / "loop-b");
  const auto r =
      gilguard({"compare", results_file(testdata::sample_results(4)), "--baselines", "loop-a"});
  EXPECT_EQ(r.exit_code, 2) << r.stdout_text;
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: the baselines directory loop-a: Too many levels of symbolic links; "
            "point --baselines at a readable directory of baseline files (one <key>.json per "
            "runner class)\n");
}

// The file may have been edited: compare derives the failed checks from the samples again.
TEST_F(CompareCommandTest, WrongPrimeCountsInTheSamplesFailTheCheck) {
  record_baseline();
  RunResult results = testdata::sample_results(4);
  results.samples[5].count_par = testdata::k_primes_below_range - 1;
  const auto r = gilguard({"compare", results_file(results)});
  EXPECT_EQ(r.exit_code, 1) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("gil interpreter, 2 threads: wrong result in 1 of 5 runs"),
            std::string::npos)
      << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("wrong prime count: sequential 78498, threaded 78497, but there "
                               "are 78498 primes below 1000000"),
            std::string::npos)
      << r.stdout_text;
}

TEST_F(CompareCommandTest, GilEnabledInFreeThreadedSamplesFailsTheCheck) {
  record_baseline();
  RunResult results = testdata::sample_results(4);
  for (auto& sample : results.samples)
    if (sample.cell.flavor == Flavor::ft) sample.gil_enabled = true;
  const auto r = gilguard({"compare", results_file(results)});
  EXPECT_EQ(r.exit_code, 1) << r.stdout_text << r.stderr_text;
  EXPECT_NE(r.stdout_text.find("ft interpreter, 2 threads: the GIL was enabled at run time in 5 "
                               "of 5 runs"),
            std::string::npos)
      << r.stdout_text;
}

// A file workload compared with a baseline whose newest run measured another version of the file:
// the report says so; with the same digest it says nothing. No prime count is asked of it.
TEST_F(CompareCommandTest, AChangedWorkloadFileIsSaidSo) {
  RunResult results = testdata::sample_results(4);
  results.parameters.workload = "file:w.py:step";
  results.parameters.workload_digest = std::string(64, 'b');
  for (auto& sample : results.samples) sample.count_seq = sample.count_par = 31;
  baseline::Baseline recorded = testdata::sample_baseline(2);
  recorded.key = baseline::derive_key(results);
  recorded.workload.name = "file:w.py:step";
  recorded.runs.back().summary.provenance.workload_digest = std::string(64, 'a');
  ASSERT_TRUE(baseline::save(m_tmp.path() / "baselines", recorded));
  const auto r = gilguard({"compare", results_file(results)});
  EXPECT_NE(r.exit_code, 2) << r.stdout_text << r.stderr_text;
  EXPECT_EQ(r.stdout_text.find("wrong result"), std::string::npos) << r.stdout_text;
  EXPECT_NE(r.stdout_text.find("The workload file w.py changed since the baseline was recorded "
                               "(SHA-256 aaaaaaaaaaaa then, bbbbbbbbbbbb now)"),
            std::string::npos)
      << r.stdout_text;

  recorded.runs.back().summary.provenance.workload_digest = std::string(64, 'b');
  ASSERT_TRUE(baseline::save(m_tmp.path() / "baselines", recorded));
  const auto same = gilguard({"compare", results_file(results)});
  EXPECT_NE(same.exit_code, 2) << same.stdout_text << same.stderr_text;
  // A full report was printed, only without the note.
  EXPECT_NE(same.stdout_text.find("gilguard: "), std::string::npos) << same.stdout_text;
  EXPECT_EQ(same.stdout_text.find("changed since the baseline"), std::string::npos)
      << same.stdout_text;
}

TEST_F(CompareCommandTest, ImpossibleTimesAreADamagedFile) {
  record_baseline();
  RunResult results = testdata::sample_results(4);
  for (auto& sample : results.samples) sample.t_seq = 0;
  auto r = gilguard({"compare", results_file(results)});
  EXPECT_EQ(r.exit_code, 2) << r.stdout_text;
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: results file r.json: samples[0].t_seq: 0 is not a time gilguard can "
            "have measured (expected 1e-09 to 1e+06 seconds in a successful sample); the file was "
            "damaged or edited; record the run again with 'gilguard run' or 'gilguard check'\n");

  results = testdata::sample_results(4);
  results.samples[7].t_par = 1e-320;
  r = gilguard({"compare", results_file(results)});
  EXPECT_EQ(r.exit_code, 2) << r.stdout_text;
  EXPECT_EQ(r.stderr_text.rfind("gilguard: error: results file r.json: samples[7].t_par: ", 0), 0u)
      << r.stderr_text;
  EXPECT_NE(r.stderr_text.find(" is not a time gilguard can have measured"), std::string::npos)
      << r.stderr_text;
}

// Every case of the annotations' escaping corpus, as outside text in the places gilguard
// prints it: no line on either stream may be a workflow command or a terminal escape.
std::vector<std::string> escaping_corpus() {
  const std::string text =
      test::read_file(test::data_dir().parent_path() / "js" / "escaping-corpus.json");
  std::vector<std::string> out;
  const auto cases = boost::json::parse(text).as_object().at("cases").as_array();
  for (const auto& entry : cases) {
    out.emplace_back(entry.as_object().at("title").as_string());
    out.emplace_back(entry.as_object().at("message").as_string());
  }
  return out;
}

TEST_F(CompareCommandTest, OutsideTextNeverBecomesAWorkflowCommand) {
  const auto corpus = escaping_corpus();
  ASSERT_GE(corpus.size(), 20u);
  for (const auto& text : corpus) {
    // In an option that ends up in an error message.
    auto r = gilguard({"compare", results_file(testdata::sample_results(2)), "--baseline-key",
                       "\n" + text + "\n" + text});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(test::unsafe_log_lines(r.stdout_text + "\n" + r.stderr_text),
              std::vector<std::string>{})
        << r.stderr_text;
    // In a field of the baseline file: its key (an error) and its baseline path (the report).
    r = gilguard({"compare", results_file(testdata::sample_results(2)), "--baselines",
                  "dir\n" + text + "\r" + text});
    EXPECT_EQ(test::unsafe_log_lines(r.stdout_text + "\n" + r.stderr_text),
              std::vector<std::string>{})
        << r.stdout_text << r.stderr_text;
  }
}

}  // namespace
}  // namespace gilguard::cli
