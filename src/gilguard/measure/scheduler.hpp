#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <vector>

#include "gilguard/core/run_result.hpp"
#include "gilguard/measure/executor.hpp"

namespace gilguard::measure {

// Told to the progress callback before each round starts.
struct RoundProgress {
  int round = 0;                       // 0 is the warm-up
  int planned_rounds = 0;              // measured rounds planned; 0 when a time budget decides
  double time_budget = 0;              // seconds, 0 with a fixed number of rounds
  std::optional<double> seconds_left;  // estimate; unknown before the first round has ended
};

// Stop rule another module plugs in: true when the measured samples so far are enough to decide.
using DecidedFn = std::function<bool(const std::vector<Sample>&)>;

// How the rounds are run.
struct ScheduleOptions {
  std::vector<Cell> cells;
  // 0: the first child sizes the range (ChildRequest::range 0) and every later child, of every
  // cell, runs the range it reported (a child that fails leaves the sizing to the next one).
  std::int64_t range = 0;
  std::uint64_t seed = 0;
  int rounds = 0;          // measured rounds (warm-up not counted); used when > 0
  double time_budget = 0;  // seconds for the whole run including the warm-up; used when rounds == 0
  // Child timeout in the warm-up; afterwards each cell gets max(min_timeout, timeout_factor x its
  // warm-up wall time), so a slow machine is not punished and a hung child is not waited on.
  std::chrono::milliseconds initial_timeout{600'000};
  std::chrono::milliseconds min_timeout{60'000};
  double timeout_factor = 20;
  // `decided` is asked after each measured round from this many measured rounds on; it can only
  // end the run early, never extend it.
  int min_rounds_before_decided = 5;
  // Whether free-threaded cells with threads > 1 also time the same-machine reference.
  bool reference = true;
  int repeats = 1;  // ChildRequest::repeats of every child
  DecidedFn decided;
  std::function<void(const RoundProgress&)> progress;
  // Seconds on a monotonic clock; steady_clock when empty (tests pass a fake).
  std::function<double()> clock;
};

// What the rounds produced.
struct ScheduleResult {
  std::vector<Sample> samples;  // every sample, warm-up (round 0) included, in execution order
  int measured_rounds = 0;
  bool decided_early = false;  // the decided callback ended the run
  std::int64_t range = 0;      // the range the children ran: options.range, or the one sized
};

// Runs a warm-up round and then measured rounds. Each round runs every cell once, in a fresh
// random order (with base cells, paired_order's) (Fisher-Yates driven by mt19937_64 seeded with
// options.seed), and each child is told at random whether to time the sequential or the threaded
// run first. A failed sample never stops the run. With a time budget a new round starts only when
// the mean duration of the previous rounds says it will end within the budget; at least one
// measured round always runs.
ScheduleResult run_rounds(const ScheduleOptions& options, Executor& executor);

// A uniformly random permutation of 0..n-1 from `rng` (the same on every platform, unlike
// std::shuffle, so a recorded seed replays the same order anywhere).
std::vector<std::size_t> random_order(std::size_t n, std::mt19937_64& rng);

// The order of an A/B round: the cells of one flavour and thread count (head and base) stay
// next to each other, the groups in a random order and the sides within a group in a random
// order. The machine's speed moves within seconds (one vCPU ran 30% slower for stretches of
// several seconds on machine C, docs/evaluation.md "A/B"), so a pair measured back to back
// shares the machine's state, and the head/base ratio keeps less of it than across a round.
std::vector<std::size_t> paired_order(const std::vector<Cell>& cells, std::mt19937_64& rng);

}  // namespace gilguard::measure
