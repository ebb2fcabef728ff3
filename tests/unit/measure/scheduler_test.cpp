#include "gilguard/measure/scheduler.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "gilguard/measure/fake_executor.hpp"

namespace gilguard::measure {
namespace {

std::vector<Cell> four_cells() {
  return {
      {Flavor::gil, 1, true}, {Flavor::gil, 2, true}, {Flavor::ft, 1, true}, {Flavor::ft, 2, true}};
}

ScheduleOptions options_for(FakeExecutor& fake, int rounds) {
  ScheduleOptions options;
  options.cells = four_cells();
  options.range = 1000;
  options.seed = 42;
  options.rounds = rounds;
  options.clock = fake.clock();
  return options;
}

std::vector<std::size_t> order_of_round(const std::vector<Sample>& samples, int round,
                                        const std::vector<Cell>& cells) {
  std::vector<std::size_t> order;
  for (const auto& s : samples) {
    if (s.round != round) continue;
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (cells[i] == s.cell) order.push_back(i);
  }
  return order;
}

TEST(Scheduler, EveryRoundRunsEveryCellOnceAfterAWarmUp) {
  FakeExecutor fake(168);
  const auto result = run_rounds(options_for(fake, 5), fake);
  EXPECT_EQ(result.measured_rounds, 5);
  ASSERT_EQ(result.samples.size(), 6u * 4u);
  for (int round = 0; round <= 5; ++round) {
    auto order = order_of_round(result.samples, round, four_cells());
    ASSERT_EQ(order.size(), 4u) << "round " << round;
    EXPECT_EQ(std::set<std::size_t>(order.begin(), order.end()).size(), 4u) << "round " << round;
  }
  for (const auto& s : result.samples) {
    EXPECT_EQ(s.position, static_cast<int>(&s - result.samples.data()) % 4);
    EXPECT_EQ(fake.calls()[static_cast<std::size_t>(&s - result.samples.data())].request.range,
              1000);
  }
}

TEST(Scheduler, OrderIsFreshEachRoundAndBalancedOverPositions) {
  FakeExecutor fake(0, {}, 0.001);
  const int rounds = 400;
  const auto result = run_rounds(options_for(fake, rounds), fake);
  const auto cells = four_cells();
  std::map<std::pair<std::size_t, std::size_t>, int> at;  // (cell, position) -> count
  std::set<std::vector<std::size_t>> distinct;
  int seq_first = 0;
  for (int round = 1; round <= rounds; ++round) {
    const auto order = order_of_round(result.samples, round, cells);
    distinct.insert(order);
    for (std::size_t position = 0; position < order.size(); ++position)
      ++at[{order[position], position}];
  }
  for (const auto& s : result.samples) seq_first += s.seq_first ? 1 : 0;
  // All 24 permutations of 4 cells show up over 400 rounds.
  EXPECT_EQ(distinct.size(), 24u);
  // Each cell sits in each position about 100 times (binomial sd ~8.7: 5 sd either way).
  for (std::size_t cell = 0; cell < 4; ++cell)
    for (std::size_t position = 0; position < 4; ++position) {
      EXPECT_GT((at[{cell, position}]), 56) << cell << "@" << position;
      EXPECT_LT((at[{cell, position}]), 144) << cell << "@" << position;
    }
  // Every child times its sequential region first (a random order adds the free-threaded
  // build's order effect to the noise).
  EXPECT_EQ(seq_first, 1604);
}

TEST(Scheduler, SameSeedReplaysTheSameOrderAndAnotherSeedDoesNot) {
  FakeExecutor a, b, c;
  auto oa = options_for(a, 10);
  auto ob = options_for(b, 10);
  auto oc = options_for(c, 10);
  oc.seed = 43;
  const auto ra = run_rounds(oa, a);
  const auto rb = run_rounds(ob, b);
  const auto rc = run_rounds(oc, c);
  bool differs = false;
  for (std::size_t i = 0; i < ra.samples.size(); ++i) {
    EXPECT_EQ(ra.samples[i].cell, rb.samples[i].cell);
    EXPECT_EQ(ra.samples[i].seq_first, rb.samples[i].seq_first);
    differs = differs || !(ra.samples[i].cell == rc.samples[i].cell);
  }
  EXPECT_TRUE(differs);
}

TEST(Scheduler, RandomOrderIsAPermutation) {
  std::mt19937_64 rng(7);
  for (std::size_t n : {0u, 1u, 2u, 9u}) {
    auto order = random_order(n, rng);
    std::sort(order.begin(), order.end());
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(order[i], i);
    EXPECT_EQ(order.size(), n);
  }
}

TEST(Scheduler, TimeBudgetIsRespectedOnAFakeClock) {
  // Each child takes t_seq + t_par + t_ref + 0.05 s: gil 2.05, ft 1 thread 2.25, ft 2 threads
  // 2.25 (its process reference takes 0.55 s; the GIL cells have none).
  FakeExecutor fake;
  auto options = options_for(fake, 0);
  options.time_budget = 60;
  std::vector<RoundProgress> progress;
  options.progress = [&](const RoundProgress& p) { progress.push_back(p); };
  const auto result = run_rounds(options, fake);
  const double round_seconds = 2.05 + 2.05 + 2.25 + 2.25;
  EXPECT_LE(fake.now(), 60.0);
  EXPECT_GT(fake.now() + round_seconds, 60.0) << "another round would still have fitted";
  EXPECT_EQ(result.measured_rounds, 5);  // 6 rounds of 8.6 s = 51.6 s, a 7th would end at 60.2
  ASSERT_EQ(progress.size(), 6u);
  EXPECT_EQ(progress[0].round, 0);
  EXPECT_EQ(progress[0].planned_rounds, 0);
  EXPECT_DOUBLE_EQ(progress[0].time_budget, 60);
  ASSERT_TRUE(progress[3].seconds_left.has_value());
  EXPECT_NEAR(*progress[3].seconds_left, 60 - 3 * round_seconds, 1e-9);
}

TEST(Scheduler, TinyBudgetStillRunsOneMeasuredRound) {
  FakeExecutor fake;
  auto options = options_for(fake, 0);
  options.time_budget = 1;
  const auto result = run_rounds(options, fake);
  EXPECT_EQ(result.measured_rounds, 1);
  EXPECT_EQ(result.samples.size(), 8u);
}

TEST(Scheduler, AFailedCellDoesNotStopTheOthers) {
  FakeExecutor fake(5, [](Sample& s, const ChildRequest&, int) {
    if (s.cell.flavor == Flavor::ft && s.cell.threads == 2) {
      s.ok = false;
      s.failure = "the interpreter ended with killed by signal 11 (SIGSEGV)";
    }
  });
  const auto result = run_rounds(options_for(fake, 4), fake);
  ASSERT_EQ(result.samples.size(), 5u * 4u);
  int failed = 0;
  for (const auto& s : result.samples) {
    const bool broken = s.cell.flavor == Flavor::ft && s.cell.threads == 2;
    EXPECT_EQ(s.ok, !broken);
    failed += broken ? 1 : 0;
  }
  EXPECT_EQ(failed, 5);
}

TEST(Scheduler, DecidedStopsEarlyOnlyAfterTheMinimumAndSeesMeasuredSamplesOnly) {
  FakeExecutor fake;
  auto options = options_for(fake, 20);
  options.min_rounds_before_decided = 5;
  std::vector<std::size_t> seen;
  options.decided = [&](const std::vector<Sample>& samples) {
    seen.push_back(samples.size());
    for (const auto& s : samples) EXPECT_GE(s.round, 1);
    return samples.size() >= 7 * 4;
  };
  const auto result = run_rounds(options, fake);
  EXPECT_TRUE(result.decided_early);
  EXPECT_EQ(result.measured_rounds, 7);
  EXPECT_EQ(seen, (std::vector<std::size_t>{20, 24, 28}));
}

TEST(Scheduler, DecidedNeverExtendsTheRun) {
  FakeExecutor fake;
  auto options = options_for(fake, 3);
  options.min_rounds_before_decided = 1;
  options.decided = [](const std::vector<Sample>&) { return false; };
  EXPECT_EQ(run_rounds(options, fake).measured_rounds, 3);
}

TEST(Scheduler, TimeoutsFollowTheWarmUp) {
  // Warm-up children take 2.05-2.25 s: 20x is ~41-45 s, so the 60 s floor applies; make the
  // ft 1-thread cell slow (10 s) to see the factor.
  FakeExecutor fake(0, [](Sample& s, const ChildRequest&, int) {
    if (s.cell.flavor == Flavor::ft && s.cell.threads == 1) s.wall_seconds = 10;
  });
  auto options = options_for(fake, 1);
  options.initial_timeout = std::chrono::milliseconds(300'000);
  run_rounds(options, fake);
  for (const auto& call : fake.calls()) {
    const bool warm_up = &call - fake.calls().data() < 4;
    const bool slow = call.cell.flavor == Flavor::ft && call.cell.threads == 1;
    const auto expected = warm_up ? 300'000 : (slow ? 200'000 : 60'000);
    EXPECT_EQ(call.request.timeout.count(), expected);
  }
}

TEST(PairedOrder, KeepsHeadAndBaseOfACellTogetherInBothOrders) {
  std::vector<Cell> cells;
  for (const auto flavor : {Flavor::gil, Flavor::ft})
    for (const int t : {2, 4})
      for (const auto side : {Side::head, Side::base}) cells.push_back({flavor, t, true, side});
  std::mt19937_64 rng(3);
  std::set<std::vector<std::size_t>> orders;
  int base_first = 0;
  for (int round = 0; round < 50; ++round) {
    const auto order = paired_order(cells, rng);
    ASSERT_EQ(order.size(), cells.size());
    EXPECT_EQ(std::set<std::size_t>(order.begin(), order.end()).size(), cells.size());
    for (std::size_t i = 0; i < order.size(); i += 2) {
      const Cell& a = cells[order[i]];
      const Cell& b = cells[order[i + 1]];
      EXPECT_EQ(a.flavor, b.flavor);
      EXPECT_EQ(a.threads, b.threads);
      EXPECT_NE(a.side, b.side);
      base_first += a.side == Side::base ? 1 : 0;
    }
    orders.insert(order);
  }
  EXPECT_GT(orders.size(), 20u);  // the pairs and the sides are shuffled
  EXPECT_GT(base_first, 50);      // of 200 pairs, about half start with the base
  EXPECT_LT(base_first, 150);
}

TEST(Scheduler, WithoutTheReferenceNoChildTimesProcesses) {
  FakeExecutor fake(168);
  auto options = options_for(fake, 2);
  options.reference = false;
  run_rounds(options, fake);
  for (const auto& call : fake.calls()) EXPECT_FALSE(call.request.reference);
}

// Range 0: the first child sizes the range; a failed sizing child leaves it to the next, and
// every child after the first successful one, of every cell and round, runs the sized range.
TEST(Scheduler, TheFirstChildThatSizesTheRangeSetsItForAllOthers) {
  FakeExecutor fake(168, [](Sample& sample, const ChildRequest&, int call) {
    if (call == 0) {
      sample.ok = false;
      sample.sized_range = 0;
      sample.failure = "the interpreter ended with exit status 1";
    }
  });
  auto options = options_for(fake, 2);
  options.range = 0;
  const auto result = run_rounds(options, fake);
  EXPECT_EQ(result.range, FakeExecutor::k_sized_range);
  ASSERT_EQ(fake.calls().size(), 12u);
  EXPECT_EQ(fake.calls()[0].request.range, 0);
  EXPECT_EQ(fake.calls()[1].request.range, 0);
  for (std::size_t i = 2; i < fake.calls().size(); ++i)
    EXPECT_EQ(fake.calls()[i].request.range, FakeExecutor::k_sized_range) << "call " << i;
  // With a range given, nothing is sized.
  FakeExecutor given(168);
  EXPECT_EQ(run_rounds(options_for(given, 1), given).range, 1000);
}

}  // namespace
}  // namespace gilguard::measure
