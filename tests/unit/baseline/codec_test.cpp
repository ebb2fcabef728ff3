#include "gilguard/baseline/codec.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "gilguard/baseline/json_text.hpp"
#include "support/test_util.hpp"
#include "unit/baseline/baseline_samples.hpp"

namespace gilguard::baseline {
namespace {

namespace json = boost::json;

// The sample baseline as a JSON value, for tests that break one field.
json::value sample_json() { return to_json(testdata::sample_baseline()); }

// Compares the start of `text` with `prefix`, showing both on failure.
void expect_starts_with(const std::string& text, const std::string& prefix) {
  EXPECT_EQ(text.substr(0, prefix.size()), prefix);
}

std::string error_of(const json::value& value) {
  auto parsed = baseline_from_json(value);
  EXPECT_FALSE(parsed.has_value());
  return parsed ? std::string("(no error)") : parsed.error().message;
}

TEST(BaselineCodec, RoundTripKeepsEveryField) {
  const Baseline original = testdata::sample_baseline(3);
  const std::string text = to_json_text(original);
  auto back = baseline_from_json_text(text);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->schema_version, 2);
  EXPECT_EQ(back->key, original.key);
  EXPECT_EQ(back->workload, original.workload);
  ASSERT_EQ(back->runs.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& a = original.runs[i];
    const auto& b = back->runs[i];
    EXPECT_EQ(b.summary.provenance.commit, a.summary.provenance.commit);
    EXPECT_EQ(b.summary.provenance.date, a.summary.provenance.date);
    EXPECT_EQ(b.summary.provenance.gilguard_version, a.summary.provenance.gilguard_version);
    EXPECT_EQ(b.summary.provenance.cpu_model, a.summary.provenance.cpu_model);
    EXPECT_EQ(b.summary.provenance.gil_version, a.summary.provenance.gil_version);
    EXPECT_EQ(b.summary.provenance.gil_config_args, a.summary.provenance.gil_config_args);
    EXPECT_EQ(b.summary.provenance.ft_version, a.summary.provenance.ft_version);
    EXPECT_EQ(b.summary.provenance.ft_config_args, a.summary.provenance.ft_config_args);
    ASSERT_EQ(b.summary.metrics.size(), a.summary.metrics.size());
    for (std::size_t m = 0; m < a.summary.metrics.size(); ++m) {
      EXPECT_EQ(b.summary.metrics[m].first, a.summary.metrics[m].first);
      EXPECT_EQ(b.summary.metrics[m].second.value, a.summary.metrics[m].second.value);
      EXPECT_EQ(b.summary.metrics[m].second.low, a.summary.metrics[m].second.low);
      EXPECT_EQ(b.summary.metrics[m].second.high, a.summary.metrics[m].second.high);
      EXPECT_EQ(b.summary.metrics[m].second.rounds, a.summary.metrics[m].second.rounds);
    }
    ASSERT_EQ(b.per_round.size(), a.per_round.size());
    for (std::size_t m = 0; m < a.per_round.size(); ++m) {
      EXPECT_EQ(b.per_round[m].id, a.per_round[m].id);
      EXPECT_EQ(b.per_round[m].values, a.per_round[m].values);
    }
  }
  // Writing what was read gives the same bytes: the format is stable for git diffs.
  EXPECT_EQ(to_json_text(*back), text);
}

// A workload with a sized range is stored with range 0 and each run's file digest; a prime
// baseline never has range 0, and its runs carry no digest field.
TEST(BaselineCodec, AWorkloadWithASizedRangeAndDigestsRoundTrips) {
  EXPECT_EQ(to_json_text(testdata::sample_baseline(1)).find("workload_digest"), std::string::npos);
  Baseline original = testdata::sample_baseline(2);
  original.key = "linux-x86_64-cpu2-py3.13-file_w.py_step-rauto";
  original.workload = {"file:w.py:step", 0, {1, 2}};
  original.runs[1].summary.provenance.workload_digest = std::string(64, 'a');
  const std::string text = to_json_text(original);
  auto back = baseline_from_json_text(text);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->workload, original.workload);
  EXPECT_EQ(back->runs[0].summary.provenance.workload_digest, "");
  EXPECT_EQ(back->runs[1].summary.provenance.workload_digest, std::string(64, 'a'));
  EXPECT_EQ(to_json_text(*back), text);

  json::value primes = sample_json();
  primes.at("workload").at("range") = 0;
  EXPECT_NE(error_of(primes).find("workload.range"), std::string::npos) << error_of(primes);
}

TEST(BaselineCodec, FileLooksAsDocumented) {
  const std::string text = to_json_text(testdata::sample_baseline(1));
  expect_starts_with(text,
                     "{\n"
                     "  \"schema_version\": 2,\n"
                     "  \"key\": \"linux-x86_64-cpu2-py3.13-primes-r1000000\",\n"
                     "  \"workload\": {\n");
  EXPECT_NE(text.find("      \"metrics\": {\n"
                      "        \"ft-speedup-2\": {\n"
                      "          \"value\": 1.8,\n"
                      "          \"low\": 1.75,\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"per_round\": [1.78, 1.8, 1.83]"), std::string::npos) << text;
}

TEST(BaselineCodec, PerRoundValuesKeepSixSignificantDigits) {
  Baseline baseline = testdata::sample_baseline(1);
  baseline.runs[0].per_round[0].values = {1.23456789, 1.8, 2.0};
  auto back = baseline_from_json_text(to_json_text(baseline));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->runs[0].per_round[0].values, (std::vector<double>{1.23457, 1.8, 2.0}));
}

TEST(BaselineCodec, RunWithoutPerRoundValuesIsValid) {
  Baseline baseline = testdata::sample_baseline(1);
  baseline.runs[0].per_round.clear();
  auto back = baseline_from_json_text(to_json_text(baseline));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_TRUE(back->runs[0].per_round.empty());
  EXPECT_EQ(back->runs[0].summary.metrics.size(), 3u);
}

TEST(BaselineCodec, SummariesAreTheRunsInOrder) {
  const Baseline baseline = testdata::sample_baseline(2);
  const auto summaries = baseline.summaries();
  ASSERT_EQ(summaries.size(), 2u);
  EXPECT_EQ(summaries[1].provenance.commit, "c0ffee1");
  EXPECT_EQ(summaries[1].find(MetricId{MetricKind::speedup, Flavor::ft, 2})->value, 1.81);
}

TEST(BaselineCodec, MissingFieldIsNamedByItsPath) {
  json::value value = sample_json();
  value.at("runs").at(1).at("metrics").at("ft-speedup-2").as_object().erase("low");
  EXPECT_EQ(error_of(value), "runs[1].metrics.ft-speedup-2.low: missing");
}

TEST(BaselineCodec, MistypedFieldSaysWhatWasExpected) {
  json::value value = sample_json();
  value.at("runs").at(0).at("provenance").at("commit") = 12;
  EXPECT_EQ(error_of(value), "runs[0].provenance.commit: expected a string, found a whole number");
  value = sample_json();
  value.at("workload").at("range") = "many";
  EXPECT_EQ(error_of(value), "workload.range: expected a whole number, found a string");
  value = sample_json();
  value.at("runs").at(0).at("metrics").at("gil-speedup-2").at("per_round").at(2) = nullptr;
  EXPECT_EQ(error_of(value),
            "runs[0].metrics.gil-speedup-2.per_round[2]: expected a number, found null");
}

TEST(BaselineCodec, UnknownSchemaVersionSaysWhatIsSupported) {
  json::value value = sample_json();
  value.at("schema_version") = 3;
  value.as_object().erase("runs");  // a newer layout: the version must be reported first
  EXPECT_EQ(error_of(value),
            "schema_version: unsupported version 3; this gilguard reads schema_version 1 to 2. "
            "Use the gilguard release that wrote the file, or replace it with 'gilguard "
            "baseline update RESULTS --reset'");
  value.at("schema_version") = "1";
  expect_starts_with(error_of(value), "schema_version: unsupported version \"1\"; this gilguard");
}

TEST(BaselineCodec, MissingSchemaVersion) {
  json::value value = sample_json();
  value.as_object().erase("schema_version");
  EXPECT_EQ(error_of(value), "schema_version: missing");
}

TEST(BaselineCodec, NotAnObject) {
  EXPECT_EQ(error_of(json::array{1, 2}), "the top level: expected a JSON object, found an array");
}

TEST(BaselineCodec, UnknownFieldIsRejected) {
  json::value value = sample_json();
  value.at("runs").at(0).at("provenance").as_object()["comit"] = "abc";
  EXPECT_EQ(error_of(value),
            "runs[0].provenance.comit: unknown field; the fields allowed here are commit, date, "
            "gilguard_version, cpu_model, gil_version, gil_config_args, ft_version, "
            "ft_config_args, machine_id, cpu_key, workload_digest");
}

TEST(BaselineCodec, UnknownMetricName) {
  json::value value = sample_json();
  auto& metrics = value.at("runs").at(0).at("metrics").as_object();
  metrics["ft-speedup-0"] = metrics.at("ft-speedup-2");
  EXPECT_EQ(error_of(value),
            "runs[0].metrics.ft-speedup-0: not a metric name; expected ft-speedup-N, "
            "gil-speedup-N, ft-relative-N, gil-relative-N, ft-overhead or gil-overhead");
}

TEST(BaselineCodec, InconsistentEstimate) {
  json::value value = sample_json();
  value.at("runs").at(0).at("metrics").at("ft-overhead").at("low") = 1.4;
  EXPECT_EQ(error_of(value),
            "runs[0].metrics.ft-overhead: low 1.4, value 1.25, high 1.3: expected low <= value "
            "<= high");
  value = sample_json();
  value.at("runs").at(0).at("metrics").at("ft-overhead").at("value") = -1.0;
  EXPECT_EQ(error_of(value),
            "runs[0].metrics.ft-overhead.value: expected a number greater than 0, found -1");
}

TEST(BaselineCodec, PerRoundCountMustMatchRounds) {
  json::value value = sample_json();
  value.at("runs").at(0).at("metrics").at("ft-speedup-2").at("rounds") = 4;
  EXPECT_EQ(error_of(value),
            "runs[0].metrics.ft-speedup-2.per_round: 3 values, but rounds is 4; expected one "
            "value per round (or none)");
}

TEST(BaselineCodec, BadKeyAndThreads) {
  json::value value = sample_json();
  value.at("key") = "../escape";
  expect_starts_with(error_of(value),
                     "key: '../escape' has a character that is not allowed at position 3; a "
                     "baseline key names the file <key>.json");
  value = sample_json();
  value.at("workload").at("threads") = json::array{2, 2};
  EXPECT_EQ(error_of(value),
            "workload.threads[1]: 2 after 2; expected thread counts in ascending order, no "
            "repeats");
  value = sample_json();
  value.at("workload").at("threads") = json::array{0};
  EXPECT_EQ(error_of(value), "workload.threads[0]: 0 is out of range (expected 1 to 4096)");
}

TEST(BaselineCodec, RunWithoutMetrics) {
  json::value value = sample_json();
  value.at("runs").at(0).at("metrics") = json::object();
  EXPECT_EQ(error_of(value), "runs[0].metrics: no metrics; a run records at least one");
}

TEST(BaselineCodec, SyntaxErrorFromText) {
  std::string text = to_json_text(testdata::sample_baseline(1));
  const auto at = text.find("\"low\": 1.75");
  text.replace(at, 11, "\"low\": 1.75.");
  auto parsed = baseline_from_json_text(text);
  ASSERT_FALSE(parsed.has_value());
  const auto position = position_of(text, at + 11);
  EXPECT_EQ(parsed.error().message, "line " + std::to_string(position.line) + ", column " +
                                        std::to_string(position.column) +
                                        ": unexpected '.'; fix the JSON there (a file gilguard "
                                        "wrote has no syntax error: was it edited?)");
  EXPECT_EQ(position.line, 26);
  EXPECT_EQ(position.column, 22);
}

}  // namespace
}  // namespace gilguard::baseline

namespace gilguard::baseline {
namespace {

// The example in docs/baseline-format.md is a valid file, in the exact layout gilguard writes.
TEST(BaselineCodec, DocumentedExampleIsValidAndCanonical) {
  const auto doc =
      test::read_file(test::data_dir().parent_path().parent_path() / "docs" / "baseline-format.md");
  const std::string fence = "```json\n";
  const auto begin = doc.find(fence);
  ASSERT_NE(begin, std::string::npos);
  const auto end = doc.find("```\n", begin + fence.size());
  ASSERT_NE(end, std::string::npos);
  const std::string example = doc.substr(begin + fence.size(), end - begin - fence.size());
  auto parsed = baseline_from_json_text(example);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->runs.size(), 1u);
  EXPECT_EQ(parsed->runs[0].summary.metrics.size(), 3u);
  EXPECT_EQ(to_json_text(*parsed), example);
}

}  // namespace
}  // namespace gilguard::baseline

namespace gilguard::baseline {
namespace {

// Issue 23: a speedup against processes keeps its split; runs without one (older baselines)
// read and write as before.
TEST(BaselineCodec, ARunsLossSplitRoundTripsAndOldRunsHaveNone) {
  Baseline original = testdata::sample_baseline(2);
  const MetricId relative{MetricKind::relative, Flavor::ft, 2};
  original.runs[1].summary.metrics.emplace_back(relative, Estimate{0.9, 0.85, 0.95, 6, {}});
  original.runs[1].summary.metrics.back().second.split = LossSplit{0.125, 0.03125, 0.0, 6};
  const std::string text = to_json_text(original);
  auto back = baseline_from_json_text(text);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  const auto estimate = back->runs[1].summary.find(relative);
  ASSERT_TRUE(estimate);
  EXPECT_EQ(estimate->split, original.runs[1].summary.metrics.back().second.split);
  for (const auto& [id, e] : back->runs[0].summary.metrics) EXPECT_FALSE(e.split);
  EXPECT_EQ(to_json_text(*back), text);
  EXPECT_EQ(to_json_text(testdata::sample_baseline(2)).find("\"split\""), std::string::npos);
}

}  // namespace
}  // namespace gilguard::baseline
