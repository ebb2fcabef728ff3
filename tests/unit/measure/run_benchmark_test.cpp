#include "gilguard/measure/run_benchmark.hpp"

#include <gtest/gtest.h>

#include "gilguard/measure/fake_executor.hpp"

namespace gilguard::measure {
namespace {

InterpreterFacts facts(bool free_threaded) {
  InterpreterFacts f;
  f.path = free_threaded ? "/py/python3.13t" : "/py/python3.13";
  f.version = "3.13.5";
  f.gil_disabled_build = free_threaded;
  return f;
}

RunRequest small_request() {
  RunRequest request;
  request.range = 1000;
  request.threads = {2, 1, 2, 4};
  request.rounds = 3;
  request.seed = 7;
  return request;
}

TEST(RunBenchmark, AutoThreadCounts) {
  EXPECT_EQ(auto_thread_counts(1), (std::vector<int>{1}));
  EXPECT_EQ(auto_thread_counts(2), (std::vector<int>{1, 2}));
  EXPECT_EQ(auto_thread_counts(4), (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(auto_thread_counts(6), (std::vector<int>{1, 2, 4, 6}));
  EXPECT_EQ(auto_thread_counts(16), (std::vector<int>{1, 2, 4, 8, 16}));
}

TEST(RunBenchmark, CellsAboveTheUsableCpusAreNotGated) {
  const auto cells = plan_cells({4, 1, 2, 2}, 2);
  ASSERT_EQ(cells.size(), 6u);
  EXPECT_EQ(cells[0], (Cell{Flavor::gil, 1, true}));
  EXPECT_EQ(cells[2], (Cell{Flavor::gil, 4, false}));
  EXPECT_EQ(cells[5], (Cell{Flavor::ft, 4, false}));
}

TEST(RunBenchmark, ChildTimeoutIsGenerous) {
  EXPECT_EQ(default_child_timeout(1000).count(), 60'000);
  EXPECT_EQ(default_child_timeout(1'000'000).count(), 200'000);
  EXPECT_GT(default_child_timeout(4'000'000).count(), 1'500'000);
}

TEST(RunBenchmark, RecordsEverythingAndSummarizes) {
  FakeExecutor fake(workload::count_primes_below(1000));
  RunHooks hooks;
  hooks.clock = fake.clock();
  const auto result = run_benchmark(small_request(), facts(false), facts(true), fake, hooks);
  EXPECT_TRUE(result.failures.empty());
  EXPECT_EQ(result.schema_version, k_results_schema_version);
  EXPECT_EQ(result.parameters.seed, 7u);
  EXPECT_EQ(result.parameters.rounds, 3);
  EXPECT_EQ(result.parameters.expected_count, 168);
  EXPECT_EQ(result.parameters.threads, (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(result.samples.size(), 4u * 6u);
  ASSERT_EQ(result.summaries.size(), 6u);
  // The fake's free-threaded flavour scales perfectly and is 10% slower single-threaded.
  EXPECT_DOUBLE_EQ(result.summaries[4].median_speedup, 2.0);
  EXPECT_EQ(result.summaries[4].rounds, 3);
  EXPECT_NEAR(result.ft_overhead, 1.1, 1e-12);
  EXPECT_GE(result.machine.usable_cpus, 1);
  EXPECT_FALSE(result.started_at.empty());
}

// A workload without --range: the warm-up sizes the range, the results record it with the label
// and the digest, there is no prime count, and threads that disagree fail the check.
TEST(RunBenchmark, AWorkloadRunsAtTheSizedRangeAndIsCheckedByItsOwnResults) {
  FakeExecutor fake(4242, [](Sample& sample, const ChildRequest&, int call) {
    if (call == 9) sample.count_par = 1;
  });
  RunHooks hooks;
  hooks.clock = fake.clock();
  auto request = small_request();
  request.workload = workload::parse_workload("/w/w.py:step");
  request.workload_digest = std::string(64, 'd');
  request.range = 0;
  const auto result = run_benchmark(request, facts(false), facts(true), fake, hooks);
  EXPECT_EQ(result.parameters.workload, "file:w.py:step");
  EXPECT_EQ(result.parameters.workload_digest, std::string(64, 'd'));
  EXPECT_TRUE(result.parameters.range_sized);
  EXPECT_EQ(result.parameters.range, FakeExecutor::k_sized_range);
  EXPECT_EQ(result.parameters.expected_count, 0);
  EXPECT_EQ(fake.calls()[0].request.range, 0);
  EXPECT_EQ(fake.calls()[1].request.range, FakeExecutor::k_sized_range);
  // The sized warm-up child gets the sizing timeout, not a prime estimate.
  EXPECT_EQ(fake.calls()[0].request.timeout, default_child_timeout(0));
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_EQ(result.failures[0].kind, "wrong-result");
  EXPECT_NE(result.failures[0].message.find("wrong result of file:w.py:step"), std::string::npos)
      << result.failures[0].message;
  // --repeats belongs to the prime workload.
  request.repeats = 3;
  EXPECT_THROW(run_benchmark(request, facts(false), facts(true), fake, hooks), Failure);
}

TEST(RunBenchmark, DefaultRoundsWithoutRoundsOrBudget) {
  FakeExecutor fake(168);
  auto request = small_request();
  request.rounds = 0;
  request.threads = {1};
  const auto result = run_benchmark(request, facts(false), facts(true), fake, {});
  EXPECT_EQ(result.parameters.rounds, k_default_rounds);
  EXPECT_EQ(result.parameters.time_budget, 0);
}

TEST(RunBenchmark, WrongCountFailsButTheRunGoesOn) {
  FakeExecutor fake(168, [](Sample& s, const ChildRequest&, int call) {
    if (call == 5) s.count_par = 167;
  });
  const auto result = run_benchmark(small_request(), facts(false), facts(true), fake, {});
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_EQ(result.failures[0].kind, "wrong-count");
  EXPECT_EQ(result.samples.size(), 24u);
  EXPECT_EQ(std::count_if(result.samples.begin(), result.samples.end(),
                          [](const Sample& s) { return !s.ok; }),
            1);
}

TEST(RunBenchmark, SwappedInterpretersAreNotMeasured) {
  FakeExecutor fake(168);
  const auto result = run_benchmark(small_request(), facts(true), facts(false), fake, {});
  EXPECT_TRUE(fake.calls().empty());
  ASSERT_EQ(result.failures.size(), 2u);
  EXPECT_EQ(result.failures[0].kind, "wrong-flavor");
  EXPECT_TRUE(result.samples.empty());
}

TEST(RunBenchmark, ImportsAreProbedOneByOneBeforeAnyRound) {
  FakeExecutor fake(168);
  auto request = small_request();
  request.ft_python = "/venv/bin/python";
  request.imports = {"gg_clean", "pkg"};
  std::vector<std::string> probed;
  std::vector<std::string> reported;
  RunHooks hooks;
  hooks.probe_import = [&](const std::string& module, std::chrono::milliseconds) {
    EXPECT_TRUE(fake.calls().empty()) << "a round ran before the import probes";
    probed.push_back(module);
    ImportCheck check;
    check.module = module;
    check.imported = true;
    check.gil_before = check.gil_after = false;
    return check;
  };
  hooks.imported = [&](const ImportCheck& check) { reported.push_back(check.module); };
  const auto result = run_benchmark(request, facts(false), facts(true), fake, hooks);
  EXPECT_EQ(probed, (std::vector<std::string>{"gg_clean", "pkg"}));
  EXPECT_EQ(reported, probed);
  ASSERT_EQ(result.imports.size(), 2u);
  EXPECT_TRUE(result.failures.empty());
  EXPECT_FALSE(fake.calls().empty());
}

// The probes share one time limit: each gets what is left of it (at most its own limit), and the
// modules left when it is spent are not probed but named, and nothing is measured.
TEST(RunBenchmark, ImportProbesStopAtTheirTotalTimeLimitAndNameTheModulesLeft) {
  FakeExecutor fake(168);
  auto request = small_request();
  request.ft_python = "/venv/bin/python";
  request.imports = {"slow_a", "slow_b", "slow_c", "slow_d"};
  request.import_timeout = std::chrono::milliseconds(2000);
  request.imports_time_limit = std::chrono::milliseconds(3000);
  double now = 100;
  std::vector<std::pair<std::string, std::int64_t>> probed;
  RunHooks hooks;
  hooks.clock = [&] { return now; };
  hooks.probe_import = [&](const std::string& module, std::chrono::milliseconds timeout) {
    probed.emplace_back(module, timeout.count());
    now += std::chrono::duration<double>(timeout).count();  // each hangs until it is killed
    ImportCheck check;
    check.module = module;
    check.error = "the interpreter was killed after its time limit";
    return check;
  };
  const auto result = run_benchmark(request, facts(false), facts(true), fake, hooks);
  EXPECT_EQ(probed, (std::vector<std::pair<std::string, std::int64_t>>{{"slow_a", 2000},
                                                                       {"slow_b", 1000}}));
  EXPECT_TRUE(fake.calls().empty());
  ASSERT_EQ(result.failures.size(), 3u);
  EXPECT_EQ(result.failures[0].kind, "import-failed");
  EXPECT_EQ(result.failures[1].kind, "import-failed");
  EXPECT_EQ(result.failures[2].kind, "import-time-limit");
  EXPECT_NE(result.failures[2].message.find("their 3 s in all (at most 2 s a module, each in a "
                                            "fresh process) before 'slow_c' and 'slow_d' could "
                                            "be probed"),
            std::string::npos)
      << result.failures[2].message;
}

// Without a limit of its own the total is python::k_imports_time_limit.
TEST(RunBenchmark, ImportProbeLimitsDefaultToTheDocumentedConstants) {
  const RunRequest request;
  EXPECT_EQ(request.import_timeout, python::k_import_timeout);
  EXPECT_EQ(request.imports_time_limit, python::k_imports_time_limit);
  EXPECT_EQ(python::k_imports_time_limit, std::chrono::minutes(5));
}

TEST(RunBenchmark, AnImportThatFailsItsCheckStopsBeforeMeasuring) {
  FakeExecutor fake(168);
  auto request = small_request();
  request.ft_python = "/venv/bin/python";
  request.imports = {"gg_needs_a", "missing"};
  RunHooks hooks;
  hooks.probe_import = [](const std::string& module, std::chrono::milliseconds) {
    ImportCheck check;
    check.module = module;
    check.imported = module != "missing";
    check.gil_before = false;
    check.gil_after = module == "gg_needs_a";
    if (check.gil_after == true) check.import_gil_modules = {module};
    if (!check.imported) check.error = "ModuleNotFoundError: No module named 'missing'";
    return check;
  };
  const auto result = run_benchmark(request, facts(false), facts(true), fake, hooks);
  EXPECT_TRUE(fake.calls().empty());
  EXPECT_TRUE(result.samples.empty());
  ASSERT_EQ(result.failures.size(), 2u);
  EXPECT_EQ(result.failures[0].kind, "import-gil");
  EXPECT_EQ(result.failures[1].kind, "import-failed");
}

TEST(RunBenchmark, InvalidRequestsAreUsageErrors) {
  FakeExecutor fake;
  auto request = small_request();
  request.range = 1;
  try {
    run_benchmark(request, facts(false), facts(true), fake, {});
    FAIL() << "no exception";
  } catch (const Failure& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    EXPECT_EQ(std::string(e.what()),
              "range 1 is out of bounds: pass --range with an integer from 100 to 100000000 (the "
              "default is 1000000)");
  }
}

}  // namespace
}  // namespace gilguard::measure

namespace gilguard::measure {
namespace {

BaseFacts base_facts() { return {facts(false), facts(true), "abc123"}; }

TEST(RunBenchmarkAb, BothSidesOfEveryCellAboveOneThread) {
  const auto cells = plan_ab_cells({1, 2, 4}, 2);
  ASSERT_EQ(cells.size(), 8u);
  for (std::size_t i = 0; i < cells.size(); i += 2) {
    EXPECT_EQ(cells[i].side, Side::head);
    EXPECT_EQ(cells[i + 1].side, Side::base);
    EXPECT_EQ(cells[i].flavor, cells[i + 1].flavor);
    EXPECT_EQ(cells[i].threads, cells[i + 1].threads);
    EXPECT_GT(cells[i].threads, 1);
  }
  EXPECT_FALSE(cells[2].gated);  // 4 threads on 2 cores
  // Only one thread asked for: the cells at 1 stay.
  EXPECT_EQ(plan_ab_cells({1}, 2).size(), 4u);
}

TEST(RunBenchmarkAb, HeadAndBaseRunBackToBackWithoutTheProcessReference) {
  FakeExecutor fake(workload::count_primes_below(1000));
  RunHooks hooks;
  hooks.clock = fake.clock();
  auto request = small_request();
  request.threads = {1, 2};
  const auto result = run_benchmark(request, facts(false), facts(true), fake, hooks, base_facts());
  EXPECT_TRUE(result.failures.empty());
  EXPECT_TRUE(result.is_ab());
  EXPECT_EQ(result.base_label, "abc123");
  EXPECT_EQ(result.parameters.threads, (std::vector<int>{2}));
  ASSERT_EQ(fake.calls().size(), 4u * 4u);  // warm-up + 3 rounds, 4 cells each
  for (std::size_t i = 0; i < fake.calls().size(); i += 2) {
    const auto& a = fake.calls()[i].cell;
    const auto& b = fake.calls()[i + 1].cell;
    EXPECT_NE(a.side, b.side);  // a pair: the same cell of head and base, back to back
    EXPECT_EQ(a.flavor, b.flavor);
    EXPECT_FALSE(fake.calls()[i].request.reference);
  }
  EXPECT_EQ(result.summaries.size(), 4u);
  EXPECT_GT(result.ft_overhead, 0);  // from the head's samples only
}

TEST(RunBenchmarkAb, ABaseOfTheWrongFlavourIsNamed) {
  FakeExecutor fake(168);
  const auto result = run_benchmark(small_request(), facts(false), facts(true), fake, {},
                                    BaseFacts{facts(true), facts(true), "x"});
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_NE(result.failures[0].message.find("--base-gil"), std::string::npos);
  EXPECT_TRUE(fake.calls().empty());
}

TEST(RunBenchmarkAb, AFailedBaseSampleNamesTheBase) {
  FakeExecutor fake(168, [](Sample& s, const ChildRequest&, int) {
    if (s.cell.side == Side::base && s.cell.flavor == Flavor::ft) s.gil_enabled = true;
  });
  auto request = small_request();
  request.threads = {2};
  const auto result = run_benchmark(request, facts(false), facts(true), fake, {}, base_facts());
  ASSERT_EQ(result.failures.size(), 1u);
  EXPECT_EQ(result.failures[0].kind, "gil-enabled");
  EXPECT_NE(result.failures[0].message.find("base ft interpreter"), std::string::npos);
}

}  // namespace
}  // namespace gilguard::measure
