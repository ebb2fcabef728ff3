#include "gilguard/baseline/results_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "gilguard/baseline/child_codec.hpp"
#include "support/test_util.hpp"

namespace gilguard::baseline {
namespace {

RunResult example() {
  RunResult r;
  r.gilguard_version = "0.1.0";
  r.started_at = "2025-12-08T18:38:00Z";
  r.source_commit = "0123456789abcdef0123456789abcdef01234567";
  r.machine = test::linux_machine("AMD EPYC 7763 64-Core Processor", 4, 2, "6.8.0",
                                  {0.5, 0.25, 0.125}, {1.75, 0.5, 0.3});
  r.gil.path = "/usr/bin/python3.13";
  r.gil.executable = "/usr/bin/python3.13";
  r.gil.version = "3.13.5";
  r.gil.implementation = "cpython";
  r.gil.gil_enabled_at_start = true;
  r.gil.platform = "linux-x86_64";
  r.gil.logical_cpus = 4;
  r.gil.usable_cpus = 2;
  r.ft = r.gil;
  r.ft.path = "/usr/bin/python3.13t";
  r.ft.gil_disabled_build = true;
  r.ft.gil_enabled_at_start = false;
  r.ft.config_args = "'--disable-gil'";
  r.parameters.range = 200'000;
  r.parameters.threads = {1, 2, 4};
  r.parameters.rounds = 2;
  r.parameters.seed = 18'000'000'000'000'000'000ULL;  // above INT64_MAX
  r.parameters.expected_count = 17'984;
  Sample s;
  s.round = 1;
  s.position = 3;
  s.cell = {Flavor::ft, 4, false};
  s.seq_first = false;
  s.ok = true;
  s.t_seq = 0.20058061399959115;
  s.t_par = 0.1243077330000233;
  s.thread_times = {0.08240701800013994, 0.1192969799999446, 0.1, 0.1};
  s.thread_warm_up = {0.0013, 0.0021, 0.0009, 0.0011};
  s.count_seq = s.count_par = 17'984;
  s.gil_enabled = false;
  s.warnings = {"The global interpreter lock (GIL) has been enabled to load module 'x'"};
  s.wall_seconds = 0.35;
  r.samples.push_back(s);
  s.ok = false;
  s.gil_enabled.reset();
  s.failure = "timed out after 60.0 s";
  s.warnings.clear();
  r.samples.push_back(s);
  r.summaries.push_back({{Flavor::ft, 4, false}, 2, 1.61, 0.4025, 1.2, 0.2, 0.124, 0.0021, {}});
  r.ft_overhead = 1.0912;
  r.failures.push_back({"timeout", "ft interpreter, 4 threads: child timed out"});
  return r;
}

void expect_same(const RunResult& a, const RunResult& b) {
  EXPECT_EQ(a.schema_version, b.schema_version);
  EXPECT_EQ(a.gilguard_version, b.gilguard_version);
  EXPECT_EQ(a.started_at, b.started_at);
  EXPECT_EQ(a.source_commit, b.source_commit);
  EXPECT_EQ(a.machine.cpu_model, b.machine.cpu_model);
  EXPECT_EQ(a.machine.usable_cpus, b.machine.usable_cpus);
  EXPECT_EQ(a.machine.load_start, b.machine.load_start);
  EXPECT_EQ(a.machine.load_end, b.machine.load_end);
  EXPECT_EQ(a.gil.path, b.gil.path);
  EXPECT_EQ(a.ft.gil_disabled_build, b.ft.gil_disabled_build);
  EXPECT_EQ(a.ft.gil_enabled_at_start, b.ft.gil_enabled_at_start);
  EXPECT_EQ(a.ft.config_args, b.ft.config_args);
  EXPECT_EQ(a.parameters.threads, b.parameters.threads);
  EXPECT_EQ(a.parameters.seed, b.parameters.seed);
  EXPECT_EQ(a.parameters.range, b.parameters.range);
  EXPECT_EQ(a.parameters.expected_count, b.parameters.expected_count);
  EXPECT_EQ(a.parameters.rounds, b.parameters.rounds);
  ASSERT_EQ(a.samples.size(), b.samples.size());
  for (std::size_t i = 0; i < a.samples.size(); ++i) {
    const auto& x = a.samples[i];
    const auto& y = b.samples[i];
    EXPECT_EQ(x.round, y.round);
    EXPECT_EQ(x.position, y.position);
    EXPECT_EQ(x.cell, y.cell);
    EXPECT_EQ(x.seq_first, y.seq_first);
    EXPECT_EQ(x.ok, y.ok);
    EXPECT_EQ(x.t_seq, y.t_seq);  // exact: doubles round-trip
    EXPECT_EQ(x.t_par, y.t_par);
    EXPECT_EQ(x.thread_times, y.thread_times);
    EXPECT_EQ(x.thread_warm_up, y.thread_warm_up);
    EXPECT_EQ(x.count_seq, y.count_seq);
    EXPECT_EQ(x.gil_enabled, y.gil_enabled);
    EXPECT_EQ(x.warnings, y.warnings);
    EXPECT_EQ(x.failure, y.failure);
    EXPECT_EQ(x.wall_seconds, y.wall_seconds);
  }
  ASSERT_EQ(a.summaries.size(), b.summaries.size());
  EXPECT_EQ(a.summaries[0].cell, b.summaries[0].cell);
  EXPECT_EQ(a.summaries[0].thread_warm_up, b.summaries[0].thread_warm_up);
  EXPECT_EQ(a.summaries[0].median_speedup, b.summaries[0].median_speedup);
  EXPECT_EQ(a.summaries[0].load_imbalance, b.summaries[0].load_imbalance);
  EXPECT_EQ(a.ft_overhead, b.ft_overhead);
  ASSERT_EQ(a.failures.size(), b.failures.size());
  EXPECT_EQ(a.failures[0].kind, b.failures[0].kind);
  EXPECT_EQ(a.failures[0].message, b.failures[0].message);
}

TEST(ResultsCodec, RoundTrips) {
  const auto original = example();
  const auto text = results_to_json_text(original);
  const auto decoded = results_from_json_text(text);
  ASSERT_TRUE(decoded) << decoded.error().message;
  expect_same(original, *decoded);
  EXPECT_EQ(results_to_json_text(*decoded), text);
  EXPECT_NE(text.find("\"schema_version\": 2"), std::string::npos);
}

// A child's stderr may hold any bytes, and it reaches the file in a failure's text: what is
// written is valid UTF-8 (each ill-formed part a U+FFFD), so the file reads back.
TEST(ResultsCodec, InvalidUtf8FromAChildIsWrittenAsReplacementCharacters) {
  auto original = example();
  original.samples[1].failure =
      "the interpreter ended with exit status 3; last lines of stderr:\nbad \xff\xfe \xc3 "
      "(\xed\xa0\x80) \xe2\x82 end \xc3\xa9";
  original.failures[0].message = "child failed: \x80";
  const auto text = results_to_json_text(original);
  const auto decoded = results_from_json_text(text);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->samples[1].failure,
            "the interpreter ended with exit status 3; last lines of stderr:\nbad \uFFFD\uFFFD "
            "\uFFFD (\uFFFD\uFFFD\uFFFD) \uFFFD end \u00e9");
  EXPECT_EQ(decoded->failures[0].message, "child failed: \uFFFD");
  // Valid text, accents included, is written as it is.
  EXPECT_EQ(results_to_json_text(*decoded), text);
}

TEST(ResultsCodec, ImportChecksRoundTripAndAreLeftOutWithoutImports) {
  auto original = example();
  EXPECT_EQ(results_to_json_text(original).find("\"imports\""), std::string::npos);
  ImportCheck failed;
  failed.module = "missing";
  failed.gil_before = false;
  failed.gil_flag = "0";
  failed.error = "ModuleNotFoundError: No module named 'missing'";
  ImportCheck offender;
  offender.module = "pkg";
  offender.imported = true;
  offender.gil_before = false;
  offender.gil_after = true;
  offender.startup_gil_modules = {"gg_pth"};
  offender.import_gil_modules = {"pkg._a", "pkg._b"};
  original.imports = {failed, offender};
  const auto text = results_to_json_text(original);
  const auto decoded = results_from_json_text(text);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->imports, original.imports);
  EXPECT_EQ(results_to_json_text(*decoded), text);
}

// A workload's label, its file digest, a sized range and each sample's expected result survive
// the round trip; a prime run's file has none of the new fields, and a file without "workload"
// reads as primes.
TEST(ResultsCodec, WorkloadsRoundTripAndOldFilesReadAsPrimes) {
  auto original = example();
  const auto prime_text = results_to_json_text(original);
  for (const auto* field : {"workload_digest", "range_sized", "\"expected\""})
    EXPECT_EQ(prime_text.find(field), std::string::npos) << field;
  original.parameters.workload = "file:w.py:step";
  original.parameters.workload_digest = std::string(64, 'e');
  original.parameters.range_sized = true;
  original.parameters.expected_count = 0;
  original.samples[0].expected = (std::int64_t{1} << 61) - 2;
  const auto text = results_to_json_text(original);
  const auto decoded = results_from_json_text(text);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->parameters.workload, "file:w.py:step");
  EXPECT_EQ(decoded->parameters.workload_digest, std::string(64, 'e'));
  EXPECT_TRUE(decoded->parameters.range_sized);
  EXPECT_EQ(decoded->samples[0].expected, (std::int64_t{1} << 61) - 2);
  EXPECT_FALSE(decoded->samples[1].expected.has_value());
  EXPECT_EQ(results_to_json_text(*decoded), text);

  auto json = boost::json::parse(prime_text);
  json.as_object().at("parameters").as_object().erase("workload");
  const auto old = results_from_json_text(boost::json::serialize(json));
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_EQ(old->parameters.workload, "primes");
  EXPECT_FALSE(old->parameters.workload_digest.has_value());
  EXPECT_FALSE(old->parameters.range_sized);
}

TEST(ResultsCodec, ErrorsNameTheField) {
  auto text = results_to_json_text(example());
  const auto at = text.find("\"t_par\": 0.1243077330000233");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 27, "\"t_par\": \"fast\"");
  const auto decoded = results_from_json_text(text);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().message, "samples[0].t_par: expected a number, found a string");
}

TEST(ResultsCodec, OtherSchemaVersionsAreRefused) {
  auto text = results_to_json_text(example());
  text.replace(text.find("\"schema_version\": 2"), 19, "\"schema_version\": 4");
  const auto decoded = results_from_json_text(text);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find(
                "schema_version: this gilguard reads results with schema_version 1 to 3, not 4"),
            std::string::npos)
      << decoded.error().message;
}

TEST(ResultsCodec, AnAbRunRoundTripsAsVersion3WithItsBaseAndSides) {
  auto original = example();
  original.base_gil = original.gil;
  original.base_gil->path = "/base/python3.13";
  original.base_ft = original.ft;
  original.base_ft->path = "/base/python3.13t";
  original.base_label = "v3.13.5";
  original.samples[1].cell.side = Side::base;
  const auto text = results_to_json_text(original);
  EXPECT_NE(text.find("\"schema_version\": 3"), std::string::npos);
  EXPECT_NE(text.find("\"side\": \"base\""), std::string::npos);
  const auto decoded = results_from_json_text(text);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_TRUE(decoded->is_ab());
  EXPECT_EQ(decoded->base_label, "v3.13.5");
  EXPECT_EQ(decoded->base_gil->path, "/base/python3.13");
  EXPECT_EQ(decoded->base_ft->path, "/base/python3.13t");
  EXPECT_EQ(decoded->samples[0].cell.side, Side::head);
  EXPECT_EQ(decoded->samples[1].cell.side, Side::base);
  EXPECT_EQ(results_to_json_text(*decoded), text);
}

TEST(ResultsCodec, AVersion3FileWithoutItsBaseIsRefused) {
  auto text = results_to_json_text(example());
  text.replace(text.find("\"schema_version\": 2"), 19, "\"schema_version\": 3");
  const auto decoded = results_from_json_text(text);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("base"), std::string::npos) << decoded.error().message;
}

TEST(ResultsCodec, AnUnknownSideIsNamed) {
  auto text = results_to_json_text(example());
  const auto at = text.find("\"gated\": false");
  ASSERT_NE(at, std::string::npos);
  text.insert(at, "\"side\": \"left\", ");
  const auto decoded = results_from_json_text(text);
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("side: expected \"head\" or \"base\""), std::string::npos)
      << decoded.error().message;
}

TEST(ResultsCodec, SyntaxErrorsHaveLineAndColumn) {
  const auto decoded = results_from_json_text("{\n  \"schema_version\": 1,\n  oops\n}");
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("line 3, column 3"), std::string::npos)
      << decoded.error().message;
}

TEST(ChildCodec, ReadsTheLastLine) {
  const auto report = decode_child_report(
      "warming up\n{\"range\": 100, \"threads\": 2, \"seq_first\": false, \"count_seq\": 25, "
      "\"count_par\": 25, \"t_seq\": 0.5, \"t_par\": 0.25, \"thread_times\": [0.1, 0.2], "
      "\"gil_enabled\": null, \"warnings\": [\"careful\"]}\n\n");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->range, 100);
  EXPECT_EQ(report->threads, 2);
  EXPECT_FALSE(report->seq_first);
  EXPECT_FALSE(report->gil_enabled.has_value());
  EXPECT_EQ(report->thread_times, (std::vector<double>{0.1, 0.2}));
  EXPECT_EQ(report->warnings, std::vector<std::string>{"careful"});
}

TEST(ChildCodec, ReadsBackgroundWorkAndKeepsItsNamesShort) {
  const std::string long_name(200, 'x');
  const auto report = decode_child_report(
      "{\"range\": 100, \"threads\": 2, \"seq_first\": true, \"count_seq\": 25, "
      "\"count_par\": 25, \"t_seq\": 0.5, \"t_par\": 0.25, \"thread_times\": [0.1, 0.2], "
      "\"loads\": {\"par\": {\"wall\": 0.25, \"workers\": 2, \"wait\": 0, \"other_cpu\": 0, "
      "\"steal\": null, \"pressure\": null, \"throttled\": null, \"background\": 0.2, "
      "\"faults\": 12}}, \"background_by\": [[\"thread\", \"spinner\", 3.5], [\"process\", \"" +
      long_name +
      "\", 1], [\"thread\", \"a\", 0.1], [\"thread\", \"b\", 0.1]], "
      "\"gil_enabled\": false, \"warnings\": []}\n");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_TRUE(report->par_load);
  EXPECT_EQ(report->par_load->background, 0.2);
  EXPECT_EQ(report->par_load->minor_faults, 12);
  ASSERT_EQ(report->background_by.size(), k_max_burners);
  EXPECT_EQ(report->background_by[0], (Burner{"thread", "spinner", 3.5}));
  EXPECT_EQ(report->background_by[1].name.size(), k_max_name);
  // A kind the child made up is refused, naming the field.
  const auto bad = decode_child_report(
      "{\"range\": 100, \"threads\": 2, \"seq_first\": true, \"count_seq\": 25, "
      "\"count_par\": 25, \"t_seq\": 0.5, \"t_par\": 0.25, \"thread_times\": [0.1, 0.2], "
      "\"background_by\": [[\"daemon\", \"x\", 1]], \"gil_enabled\": false, \"warnings\": []}\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("thread or process"), std::string::npos)
      << bad.error().message;
}

TEST(ResultsCodec, BackgroundReadingsRoundTrip) {
  auto original = example();
  auto& sample = original.samples.front();
  RegionLoad load;
  load.wall = 0.5;
  load.background = 0.125;
  load.minor_faults = 40;
  sample.par_load = load;
  sample.background_source = "cgroup v1 cpuacct";
  sample.background_by = {{"thread", "spinner", 2.5}};
  const auto decoded = results_from_json_text(results_to_json_text(original));
  ASSERT_TRUE(decoded) << decoded.error().message;
  const auto& back = decoded->samples.front();
  EXPECT_EQ(back.par_load, sample.par_load);
  EXPECT_EQ(back.background_source, "cgroup v1 cpuacct");
  EXPECT_EQ(back.background_by, sample.background_by);
}

// Issue 21: the workers' CPU in each region, the child's CPU time as gilguard measured it and
// the count of distinct warnings go into the results and come back; files without them read as
// before (nothing known, no warnings counted).
TEST(ResultsCodec, ChildCpuWorkersCpuAndDistinctWarningsRoundTrip) {
  auto original = example();
  auto& sample = original.samples.front();
  RegionLoad load;
  load.wall = 0.5;
  load.workers_cpu = 0.98;
  sample.par_load = load;
  sample.child_cpu_seconds = 1.75;
  sample.distinct_warnings = 12;
  const auto text = results_to_json_text(original);
  const auto decoded = results_from_json_text(text);
  ASSERT_TRUE(decoded) << decoded.error().message;
  const auto& back = decoded->samples.front();
  EXPECT_EQ(back.par_load, sample.par_load);
  EXPECT_EQ(back.child_cpu_seconds, 1.75);
  EXPECT_EQ(back.distinct_warnings, 12);
  EXPECT_EQ(results_to_json_text(*decoded), text);

  const auto old = results_from_json_text(results_to_json_text(example()));
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_FALSE(old->samples.front().child_cpu_seconds.has_value());
  EXPECT_EQ(old->samples.front().distinct_warnings, 0);
  EXPECT_EQ(results_to_json_text(example()).find("child_cpu_seconds"), std::string::npos);
}

TEST(ChildCodec, ReadsTheWorkersCpuAndTheCountOfDistinctWarnings) {
  const auto report = decode_child_report(
      "{\"range\": 100, \"threads\": 2, \"seq_first\": true, \"count_seq\": 25, "
      "\"count_par\": 25, \"t_seq\": 0.5, \"t_par\": 0.25, \"thread_times\": [0.1, 0.2], "
      "\"loads\": {\"seq\": {\"wall\": 0.5, \"workers\": 1, \"workers_cpu\": 0.49}, "
      "\"par\": {\"wall\": 0.25, \"workers\": 2, \"workers_cpu\": null}}, "
      "\"gil_enabled\": false, \"warnings\": [\"DeprecationWarning: old (w.py:3)\"], "
      "\"distinct_warnings\": 7}\n");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->seq_load->workers_cpu, 0.49);
  EXPECT_FALSE(report->par_load->workers_cpu.has_value());
  EXPECT_EQ(report->distinct_warnings, 7);
  EXPECT_EQ(report->warnings, std::vector<std::string>{"DeprecationWarning: old (w.py:3)"});
}

TEST(ChildCodec, ReadsTheHarnessReportWithItsExpectationAndReference) {
  const auto report = decode_child_report(
      "{\"workload\": \"builtin:objects\", \"range\": 4096, \"threads\": 2, \"seq_first\": true, "
      "\"count_seq\": 9, \"count_par\": 9, \"t_seq\": 0.5, \"t_par\": 0.3, \"thread_times\": "
      "[0.3, 0.3], \"cpus\": 2, \"loads\": {\"seq\": {\"wall\": 0.5, \"workers\": 1, \"wait\": 0, "
      "\"other_cpu\": 0, \"steal\": null, \"pressure\": null, \"throttled\": null}}, "
      "\"count_ref\": 9, \"t_ref\": 0.26, \"ref_times\": [0.25, 0.26], \"expected\": 9, "
      "\"gil_enabled\": false, \"warnings\": []}\n");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->expected, 9);
  EXPECT_EQ(report->count_ref, 9);
  EXPECT_DOUBLE_EQ(report->t_ref, 0.26);
  ASSERT_TRUE(report->seq_load.has_value());
  EXPECT_DOUBLE_EQ(report->seq_load->wall, 0.5);
  // A user file has no closed form: expected is null.
  const auto file = decode_child_report(
      "{\"range\": 100, \"threads\": 1, \"seq_first\": true, \"count_seq\": 1, "
      "\"count_par\": 1, \"t_seq\": 1, \"t_par\": 1, \"thread_times\": [1], "
      "\"expected\": null, \"gil_enabled\": null, \"warnings\": []}");
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_FALSE(file->expected.has_value());
}

TEST(ChildCodec, ReadsEachThreadsWarmUpAsItsColdCallsExtraTime) {
  const std::string head =
      "{\"range\": 100, \"threads\": 2, \"seq_first\": true, \"count_seq\": 25, "
      "\"count_par\": 25, \"t_seq\": 0.5, \"t_par\": 0.25, \"thread_times\": [0.1, 0.2], "
      "\"gil_enabled\": false, \"warnings\": [], \"thread_warm_up\": ";
  const auto report = decode_child_report(head + "[[0.004, 0.001, 0.002], null]}");
  ASSERT_TRUE(report) << report.error().message;
  // The second thread's warm-up failed (null): only the first one's cost is kept, its start
  // delay plus its first call's extra time.
  ASSERT_EQ(report->thread_warm_up.size(), 1U);
  EXPECT_DOUBLE_EQ(report->thread_warm_up[0], 0.005);
  const auto wrong = decode_child_report(head + "[[0.004, 0.001]]}");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().message,
            "thread_warm_up[0]: expected [cold seconds, warm seconds, start seconds]");
}

TEST(ChildCodec, NamesWhatIsWrong) {
  EXPECT_EQ(decode_child_report("").error().message, "the child wrote no report");
  EXPECT_EQ(decode_child_report("{\"range\": 100}").error().message, "threads: missing");
  EXPECT_NE(decode_child_report("Traceback (most recent call last):")
                .error()
                .message.find("its last line is not JSON"),
            std::string::npos);
}

}  // namespace
}  // namespace gilguard::baseline

namespace gilguard::baseline {
namespace {

// Issue 23: the workers' context switches in each region and a cell's loss split go into the
// results and come back; files without them read as before.
TEST(ResultsCodec, ContextSwitchesAndTheLossSplitRoundTrip) {
  auto original = example();
  RegionLoad load;
  load.wall = 0.5;
  load.voluntary_switches = 120;
  load.involuntary_switches = 3;
  original.samples.front().par_load = load;
  CellSummary summary;
  summary.cell = {Flavor::ft, 2, true};
  summary.loss_split = LossSplit{0.125, 0.25, -0.0625, 7};
  original.summaries.push_back(summary);
  const auto text = results_to_json_text(original);
  const auto decoded = results_from_json_text(text);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->samples.front().par_load, load);
  EXPECT_EQ(decoded->summaries.back().loss_split, summary.loss_split);
  EXPECT_EQ(results_to_json_text(*decoded), text);
  EXPECT_EQ(results_to_json_text(example()).find("loss_split"), std::string::npos);
}

TEST(ChildCodec, ReadsTheWorkersContextSwitches) {
  const auto report = decode_child_report(
      "{\"range\": 100, \"threads\": 2, \"seq_first\": true, \"count_seq\": 25, "
      "\"count_par\": 25, \"t_seq\": 0.5, \"t_par\": 0.25, \"thread_times\": [0.1, 0.2], "
      "\"gil_enabled\": false, \"warnings\": [], \"loads\": {\"par\": {\"wall\": 0.3, "
      "\"workers\": 2, \"wait\": 0.01, \"other_cpu\": 0, \"steal\": 0, \"pressure\": 0, "
      "\"throttled\": null, \"voluntary_switches\": 1500, \"involuntary_switches\": 4}}}\n");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_TRUE(report->par_load);
  EXPECT_EQ(report->par_load->voluntary_switches, 1500);
  EXPECT_EQ(report->par_load->involuntary_switches, 4);
}

}  // namespace
}  // namespace gilguard::baseline
