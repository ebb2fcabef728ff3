// Files written before machine identity and the process reference (schema 1) are still read;
// the new facts round-trip through schema 2.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "gilguard/baseline/child_codec.hpp"
#include "gilguard/baseline/codec.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "unit/baseline/baseline_samples.hpp"

namespace gilguard::baseline {
namespace {

namespace json = boost::json;

TEST(SchemaUpgrade, AVersionOneBaselineIsReadWithUnknownMachines) {
  json::value value = to_json(testdata::sample_baseline(2));
  auto& root = value.as_object();
  root["schema_version"] = 1;
  for (auto& run : root["runs"].as_array()) {
    auto& provenance = run.as_object()["provenance"].as_object();
    provenance.erase("machine_id");
    provenance.erase("cpu_key");
  }
  const auto read = baseline_from_json(value);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->schema_version, k_schema_version);  // written back as the current version
  ASSERT_EQ(read->runs.size(), 2U);
  EXPECT_EQ(read->runs[0].summary.provenance.machine_id, "");
  EXPECT_EQ(read->runs[0].summary.provenance.cpu_key, "");
}

TEST(SchemaUpgrade, VersionTwoRequiresAndKeepsMachineAndCpu) {
  Baseline baseline = testdata::sample_baseline(1);
  baseline.runs[0].summary.provenance.machine_id = "0123456789abcdef";
  baseline.runs[0].summary.provenance.cpu_key = "GenuineIntel 6/207/2 Intel(R) Xeon(R) Processor";
  const auto back = baseline_from_json_text(to_json_text(baseline));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->runs[0].summary.provenance.machine_id, "0123456789abcdef");
  EXPECT_EQ(back->runs[0].summary.provenance.cpu_key,
            "GenuineIntel 6/207/2 Intel(R) Xeon(R) Processor");
  json::value value = to_json(baseline);
  value.as_object()["runs"].as_array()[0].as_object()["provenance"].as_object().erase("cpu_key");
  const auto missing = baseline_from_json(value);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message.find("cpu_key"), std::string::npos) << missing.error().message;
}

TEST(SchemaUpgrade, AVersionThreeBaselineIsRefusedNamingTheVersions) {
  json::value value = to_json(testdata::sample_baseline(1));
  value.as_object()["schema_version"] = 3;
  const auto read = baseline_from_json(value);
  ASSERT_FALSE(read.has_value());
  EXPECT_NE(read.error().message.find("schema_version 1 to 2"), std::string::npos)
      << read.error().message;
}

TEST(SchemaUpgrade, ResultsRoundTripTheMachineFactsAndTheReference) {
  RunResult result = testdata::sample_results(2);
  result.machine.affinity_cpus = 4;
  result.machine.physical_cores = 2;
  result.machine.threads_per_core = 2;
  result.machine.cpu_quota = 1.5;
  result.machine.machine_id = "feedfacecafebeef";
  result.machine.cpu = {"AuthenticAMD", "25", "17", "1", "AMD EPYC", "0x1000065", "L2 1024K"};
  result.machine.steal_seconds = 0.25;
  Sample& s = result.samples.back();
  s.t_ref = 0.4;
  s.ref_times = {0.39, 0.4};
  s.count_ref = 78'498;
  s.cpus = 4;
  RegionLoad load;
  load.wall = 0.5;
  load.workers = 2;
  load.wait = 0.01;
  load.other_cpu = 0.001;
  load.pressure = 0.02;  // steal and throttled unknown
  s.par_load = load;
  const auto back = results_from_json_text(results_to_json_text(result));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(back->schema_version, 2);
  EXPECT_EQ(back->machine.cpu, result.machine.cpu);
  EXPECT_EQ(back->machine.cpu_quota, 1.5);
  EXPECT_EQ(back->machine.machine_id, "feedfacecafebeef");
  EXPECT_EQ(back->machine.usable_cores(), 2);
  const Sample& t = back->samples.back();
  EXPECT_DOUBLE_EQ(t.t_ref, 0.4);
  EXPECT_EQ(t.count_ref, 78'498);
  ASSERT_TRUE(t.par_load.has_value());
  EXPECT_EQ(*t.par_load, load);
  EXPECT_FALSE(t.seq_load.has_value());
}

TEST(SchemaUpgrade, AVersionOneResultsFileIsRead) {
  json::value value = to_json(testdata::sample_results(2));
  auto& root = value.as_object();
  root["schema_version"] = 1;
  auto& machine = root["machine"].as_object();
  for (const char* key : {"affinity_cpus", "physical_cores", "threads_per_core", "cpu_quota",
                          "machine_id", "cpu", "steal_seconds"})
    machine.erase(key);
  for (auto& sample : root["samples"].as_array()) {
    for (const char* key : {"t_ref", "ref_times", "count_ref", "cpus", "loads"})
      sample.as_object().erase(key);
  }
  const auto read = results_from_json(value);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->machine.machine_id, "");
  EXPECT_EQ(read->machine.affinity_cpus, read->machine.usable_cpus);
  EXPECT_EQ(read->samples.back().t_ref, 0);
}

TEST(SchemaUpgrade, TheChildReportCarriesTheReferenceAndTheReadings) {
  const auto report = decode_child_report(
      R"({"workload": "primes", "range": 100, "threads": 2, "seq_first": true, "count_seq": 25,)"
      R"( "count_par": 25, "t_seq": 0.1, "t_par": 0.06, "thread_times": [0.05, 0.06], "cpus": 2,)"
      R"( "loads": {"par": {"wall": 0.06, "workers": 2, "wait": 0.001, "other_cpu": 0.0,)"
      R"( "steal": null, "pressure": 0.0, "throttled": null}}, "count_ref": 25, "t_ref": 0.055,)"
      R"( "ref_times": [0.05, 0.055], "gil_enabled": false, "warnings": []})");
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_DOUBLE_EQ(report->t_ref, 0.055);
  EXPECT_EQ(report->count_ref, 25);
  EXPECT_EQ(report->cpus, 2);
  ASSERT_TRUE(report->par_load.has_value());
  EXPECT_EQ(report->par_load->workers, 2);
  EXPECT_FALSE(report->par_load->steal.has_value());
  EXPECT_FALSE(report->seq_load.has_value());
}

}  // namespace
}  // namespace gilguard::baseline
