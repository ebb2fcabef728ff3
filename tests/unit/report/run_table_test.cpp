#include "gilguard/report/run_table.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "support/test_util.hpp"

namespace gilguard::report {
namespace {

RunResult example() {
  RunResult r;
  r.machine = test::linux_machine("AMD EPYC 7763 64-Core Processor", 2, 2, "6.8.0",
                                  {0.52, 0.3, 0.1}, {1.75, 0.6, 0.2});
  r.gil.path = "/opt/python/bin/python3.13";
  r.gil.version = "3.13.5";
  r.ft.path = "/opt/python/bin/python3.13t";
  r.ft.version = "3.13.5";
  r.parameters.range = 1'000'000;
  r.parameters.threads = {1, 2, 4};
  r.parameters.rounds = 6;
  r.parameters.seed = 12345;
  r.parameters.expected_count = 78'498;
  r.summaries = {
      {{Flavor::gil, 1, true}, 6, 1.002, 1.002, 1.0, 1.931, 1.927, 0.00041, {}},
      {{Flavor::gil, 2, true}, 6, 0.981, 0.4905, 1.15, 1.925, 1.962, 0.0052, {}},
      {{Flavor::gil, 4, false}, 6, 0.97, 0.2425, 1.3, 1.93, 1.99, 0.0101, {}},
      {{Flavor::ft, 1, true}, 6, 1.01, 1.01, 1.0, 2.101, 2.08, 0.00035, {}},
      {{Flavor::ft, 2, true}, 5, 1.714, 0.857, 1.27, 2.093, 1.221, 0.00147, {}},
      // No round measured: no warm-up either.
      {{Flavor::ft, 4, false}, 0, 0, 0, 0, 0, 0, std::nullopt, {}},
  };
  Sample failed;
  failed.round = 3;
  failed.cell = {Flavor::ft, 2, true};
  failed.failure = "the interpreter ended with killed by signal 11 (SIGSEGV)";
  r.samples.push_back(failed);
  r.ft_overhead = 1.087;
  r.failures.push_back({"crash", "ft interpreter, 2 threads: child failed in 1 of 7 runs"});
  return r;
}

TEST(RunTable, MatchesTheGoldenFile) {
  RunTableOptions options;
  options.split_bound = {{1, 1.0}, {2, 1.57}, {4, 2.62}};
  const auto text = render_run_table(example(), options);
  const auto golden = test::data_dir() / "expected" / "run_table.txt";
  if (std::getenv("GILGUARD_UPDATE_GOLDEN") != nullptr) test::write_file(golden, text);
  EXPECT_EQ(text, test::read_file(golden));
}

TEST(RunTable, LeavesOutTheBoundColumnAndFailuresWhenThereAreNone) {
  auto result = example();
  result.failures.clear();
  result.ft_overhead = 0;
  const auto text = render_run_table(result);
  EXPECT_EQ(text.find("split bound"), std::string::npos);
  EXPECT_EQ(text.find("Failed checks"), std::string::npos);
  EXPECT_EQ(text.find("overhead"), std::string::npos);
  EXPECT_NE(text.find("free-threaded  "), std::string::npos);
  EXPECT_NE(text.find("1.71x"), std::string::npos);
}

// Every child of a function that warns on every call records the same few warnings: the run
// shows each once, with the most distinct ones a child counted, and none when there were none.
TEST(RunTable, ShowsEachWarningOnceForTheWholeRun) {
  auto result = example();
  EXPECT_EQ(render_run_table(result).find("Warnings raised"), std::string::npos);
  for (int round = 0; round < 3; ++round) {
    Sample s;
    s.round = round;
    s.ok = true;
    s.cell = {Flavor::gil, 2, true};
    s.warnings = {"DeprecationWarning: utcnow() is deprecated (w.py:4)", "UserWarning: x (w.py:9)"};
    s.distinct_warnings = round == 1 ? 14 : 2;
    result.samples.push_back(s);
  }
  const auto text = render_run_table(result);
  EXPECT_NE(text.find("Warnings raised by the code under test (14 distinct in one child; the "
                      "first of them, each once):\n- DeprecationWarning: utcnow() is deprecated "
                      "(w.py:4)\n- UserWarning: x (w.py:9)\n"),
            std::string::npos)
      << text;
  result.samples.back().distinct_warnings = 2;
  result.samples[2].distinct_warnings = 2;
  EXPECT_NE(render_run_table(result).find("Warnings raised by the code under test (each once):\n"),
            std::string::npos);
}

}  // namespace
}  // namespace gilguard::report
