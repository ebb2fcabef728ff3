// The workload harness on the real free-threaded interpreter: every built-in of the suite and a
// user file, sequential against threaded, checked against each other and the built-in's
// closed-form result, and the same-machine reference in forked processes.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "gilguard/util/process.hpp"
#include "gilguard/workload/harness.hpp"
#include "support/test_util.hpp"

namespace gilguard::workload {
namespace {

boost::json::object run_harness(const std::filesystem::path& python, const WorkloadSpec& spec,
                                std::int64_t range, int threads, bool reference = false) {
  util::ProcessOptions options;
  options.timeout = std::chrono::minutes(2);
  const auto run = util::run_process(harness_argv(python, spec, {range, threads, true, reference}),
                                     {{"PATH", "/usr/bin:/bin"}}, options);
  if (!run || !run->success())
    throw std::runtime_error(
        spec.label() + ": " +
        (run ? run->describe() + "\n" + run->stderr_text : run.error().message));
  return boost::json::parse(run->stdout_text).as_object();
}

class Builtins : public testing::TestWithParam<std::string> {};

TEST_P(Builtins, ThreadsAgreeWithTheSequentialRunAndTheClosedForm) {
  REQUIRE_INTERPRETERS(py);
  const auto spec = parse_workload("builtin:" + GetParam());
  const auto report = run_harness(py.ft, spec, 3001, 2, true);
  EXPECT_EQ(report.at("range").as_int64(), 3001);
  // The same chunks in two forked single-threaded processes fold to the same result.
  EXPECT_EQ(report.at("count_ref"), report.at("count_seq"));
  EXPECT_GT(report.at("t_ref").as_double(), 0);
  EXPECT_EQ(report.at("ref_times").as_array().size(), 2u);
  for (const auto* region : {"seq", "par", "ref"})
    EXPECT_TRUE(report.at("loads").as_object().contains(region)) << region;
  EXPECT_EQ(report.at("threads").as_int64(), 2);
  EXPECT_EQ(report.at("count_seq"), report.at("count_par"));
  EXPECT_EQ(report.at("count_seq"), report.at("expected"));
  EXPECT_EQ(report.at("thread_times").as_array().size(), 2u);
  EXPECT_EQ(report.at("gil_enabled"), false);
  EXPECT_TRUE(report.at("warnings").as_array().empty());
}

INSTANTIATE_TEST_SUITE_P(Suite, Builtins, testing::ValuesIn(builtin_names()),
                         [](const auto& param) {
                           std::string name = param.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(Harness, AUserFileCanImportItsNeighbourAndSizesItsRange) {
  REQUIRE_INTERPRETERS(py);
  test::TempDir dir;
  test::write_file(dir.path() / "helper.py", "def double(x):\n    return 2 * x\n");
  test::write_file(dir.path() / "w.py",
                   "import helper\n\ndef step(i):\n    return (helper.double(i), str(i))\n");
  const auto report =
      run_harness(py.gil, parse_workload((dir.path() / "w.py").string() + ":step"), 0, 2);
  // Sized by doubling from 256 until the sequential region took its target time.
  const auto range = report.at("range").as_int64();
  EXPECT_GE(range, 256);
  EXPECT_EQ(range % 256, 0);
  EXPECT_EQ(report.at("count_seq"), report.at("count_par"));
  EXPECT_TRUE(report.at("expected").is_null());
}

}  // namespace
}  // namespace gilguard::workload
