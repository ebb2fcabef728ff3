#include "gilguard/measure/recheck.hpp"

#include <gtest/gtest.h>

#include "unit/baseline/baseline_samples.hpp"

namespace gilguard::measure {
namespace {

namespace testdata = baseline::testdata;

std::vector<std::string> kinds(const std::vector<CheckFailure>& failures) {
  std::vector<std::string> out;
  for (const auto& failure : failures) out.push_back(failure.kind);
  return out;
}

TEST(RecheckFailures, ACleanRunHasNone) {
  const RunResult results = testdata::sample_results(3);
  ASSERT_TRUE(validate_results(results).has_value());
  EXPECT_EQ(recheck_failures(results).size(), 0u);
}

TEST(RecheckFailures, WrongCountsAreFoundAgainstTheRangeNotTheFile) {
  RunResult results = testdata::sample_results(3);
  // An edited file: its expected count and every sample agree with each other, not with the
  // primes below the range.
  results.parameters.expected_count = 5;
  for (auto& sample : results.samples) sample.count_seq = sample.count_par = 5;
  const auto failures = recheck_failures(results);
  EXPECT_EQ(kinds(failures),
            (std::vector<std::string>{"wrong-count", "wrong-count", "wrong-count", "wrong-count"}));
  EXPECT_NE(failures[0].message.find("there are 78498 primes below 1000000"), std::string::npos)
      << failures[0].message;
}

TEST(RecheckFailures, GilEnabledAndSwappedFlavoursAreFound) {
  RunResult results = testdata::sample_results(3);
  results.samples[3].gil_enabled = true;  // ft, 2 threads, warm-up round
  results.ft.gil_disabled_build = false;
  EXPECT_EQ(kinds(recheck_failures(results)),
            (std::vector<std::string>{"wrong-flavor", "gil-enabled"}));
}

TEST(RecheckFailures, RecordedFailuresComeFirstAndAreNotRepeated) {
  RunResult results = testdata::sample_results(3);
  results.samples[3].gil_enabled = true;
  results.failures.push_back(
      {"gil-enabled", "ft interpreter, 2 threads: the GIL was enabled (PYTHON_GIL=1 was set)"});
  results.failures.push_back({"crash", "recorded only in the file"});
  const auto failures = recheck_failures(results);
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].message, results.failures[0].message);
  EXPECT_EQ(failures[1].message, "recorded only in the file");
}

// A file whose times were edited beyond what the child lived (or the child's measured CPU) has
// the failure `gilguard run` would have recorded; the untouched samples pass.
TEST(RecheckFailures, TimesLongerThanTheChildLivedAreFound) {
  RunResult results = testdata::sample_results(3);
  for (auto& sample : results.samples) {
    sample.wall_seconds = 2 * (sample.t_seq + 2 * sample.t_par + 2 * sample.t_ref) + 1;
    sample.child_cpu_seconds = sample.wall_seconds * sample.cell.threads;
  }
  EXPECT_EQ(recheck_failures(results).size(), 0u);
  auto& edited = results.samples[3];
  edited.t_seq = edited.wall_seconds * 2;
  const auto failures = recheck_failures(results);
  EXPECT_EQ(kinds(failures), std::vector<std::string>{"inconsistent-report"});
  EXPECT_NE(failures[0].message.find("but the child ran"), std::string::npos)
      << failures[0].message;
}

TEST(ValidateResults, NamesTheFieldThatCannotBeMeasured) {
  RunResult results = testdata::sample_results(3);
  results.samples[2].t_par = 1e-320;
  auto valid = validate_results(results);
  ASSERT_FALSE(valid.has_value());
  EXPECT_EQ(valid.error().message.rfind("samples[2].t_par: ", 0), 0u) << valid.error().message;

  results = testdata::sample_results(3);
  results.samples[4].t_seq = 2e6;
  valid = validate_results(results);
  ASSERT_FALSE(valid.has_value());
  EXPECT_EQ(valid.error().message,
            "samples[4].t_seq: 2e+06 is not a time gilguard can have measured (expected 1e-09 to "
            "1e+06 seconds in a successful sample); the file was damaged or edited; record the "
            "run again with 'gilguard run' or 'gilguard check'");

  // The process reference: 0 where not measured, else a time like the others.
  results = testdata::sample_results(3);
  results.samples[2].t_ref = 1e-320;
  valid = validate_results(results);
  ASSERT_FALSE(valid.has_value());
  EXPECT_EQ(valid.error().message.rfind("samples[2].t_ref: ", 0), 0u) << valid.error().message;
  results.samples[2].t_ref = 0.2;
  EXPECT_TRUE(validate_results(results).has_value());

  // A failed sample keeps whatever times it has.
  results = testdata::sample_results(3);
  results.samples[4].ok = false;
  results.samples[4].t_seq = 0;
  EXPECT_TRUE(validate_results(results).has_value());

  results = testdata::sample_results(3);
  results.parameters.range = 0;
  valid = validate_results(results);
  ASSERT_FALSE(valid.has_value());
  EXPECT_EQ(valid.error().message.rfind("parameters.range: 0 is outside the bounds of --range", 0),
            0u)
      << valid.error().message;

  results = testdata::sample_results(3);
  results.parameters.workload = "other";
  valid = validate_results(results);
  ASSERT_FALSE(valid.has_value());
  EXPECT_EQ(valid.error().message.rfind("parameters.workload: \"other\" is not a workload", 0), 0u)
      << valid.error().message;

  // Workloads: built-ins and files; range 0 only for a sized range no child could size.
  for (const auto* label : {"builtin:objects", "file:w.py:step"}) {
    results = testdata::sample_results(3);
    results.parameters.workload = label;
    EXPECT_TRUE(validate_results(results).has_value()) << label;
  }
  results.parameters.range = 0;
  EXPECT_FALSE(validate_results(results).has_value());
  results.parameters.range_sized = true;
  EXPECT_TRUE(validate_results(results).has_value());
}

// A workload has no prime count: its samples are checked against each other and a built-in's
// recorded expectation, never against the primes below the range.
TEST(RecheckFailures, WorkloadsAreCheckedByTheirOwnResults) {
  RunResult results = testdata::sample_results(3);
  results.parameters.workload = "builtin:methods";
  results.parameters.expected_count = 0;
  for (auto& sample : results.samples) {
    sample.count_seq = sample.count_par = 123;
    sample.expected = 123;
  }
  EXPECT_EQ(recheck_failures(results).size(), 0u);
  results.samples[2].expected = 124;
  results.samples[5].count_par = 7;
  const auto failures = recheck_failures(results);
  ASSERT_FALSE(failures.empty());
  for (const auto& failure : failures) EXPECT_EQ(failure.kind, "wrong-result") << failure.message;
  EXPECT_NE(failures[0].message.find("wrong result of builtin:methods"), std::string::npos)
      << failures[0].message;
}

}  // namespace
}  // namespace gilguard::measure
