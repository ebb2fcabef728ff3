#include "gilguard/measure/scheduler.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace gilguard::measure {
namespace {

// A uniform integer in [0, bound) by rejection, independent of the standard library's
// distribution implementation.
std::uint64_t uniform_below(std::uint64_t bound, std::mt19937_64& rng) {
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % bound;
  while (true) {
    const std::uint64_t draw = rng();
    if (draw < limit) return draw % bound;
  }
}

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::chrono::milliseconds to_millis(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
}

double mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

bool has_base(const std::vector<Cell>& cells) {
  return std::ranges::any_of(cells, [](const Cell& c) { return c.side == Side::base; });
}

}  // namespace

std::vector<std::size_t> paired_order(const std::vector<Cell>& cells, std::mt19937_64& rng) {
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const auto same = std::ranges::find_if(groups, [&](const std::vector<std::size_t>& group) {
      const Cell& first = cells[group.front()];
      return first.flavor == cells[i].flavor && first.threads == cells[i].threads;
    });
    if (same == groups.end())
      groups.push_back({i});
    else
      same->push_back(i);
  }
  std::vector<std::size_t> order;
  for (const auto g : random_order(groups.size(), rng))
    for (const auto m : random_order(groups[g].size(), rng)) order.push_back(groups[g][m]);
  return order;
}

std::vector<std::size_t> random_order(std::size_t n, std::mt19937_64& rng) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) {
    const auto j = static_cast<std::size_t>(uniform_below(i, rng));
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

ScheduleResult run_rounds(const ScheduleOptions& options, Executor& executor) {
  const auto clock = options.clock ? options.clock : std::function<double()>(steady_seconds);
  std::mt19937_64 rng(options.seed);
  ScheduleResult result;
  if (options.cells.empty()) return result;
  std::vector<std::chrono::milliseconds> timeouts(options.cells.size(), options.initial_timeout);
  std::vector<double> round_seconds;  // measured rounds only, once there are any
  double warmup_seconds = 0;
  const double start = clock();
  const bool budgeted = options.rounds <= 0;
  result.range = options.range;

  for (int round = 0;; ++round) {
    const double elapsed = clock() - start;
    const double typical = round_seconds.empty() ? warmup_seconds : mean(round_seconds);
    if (round > 0) {
      if (!budgeted && result.measured_rounds >= options.rounds) break;
      if (budgeted && result.measured_rounds >= 1 && elapsed + typical > options.time_budget) break;
    }
    if (options.progress) {
      RoundProgress progress{round, budgeted ? 0 : options.rounds,
                             budgeted ? options.time_budget : 0, std::nullopt};
      if (budgeted)
        progress.seconds_left = std::max(0.0, options.time_budget - elapsed);
      else if (round > 0)
        progress.seconds_left = typical * (options.rounds - round + 1);
      options.progress(progress);
    }

    const double round_start = clock();
    const auto order = has_base(options.cells) ? paired_order(options.cells, rng)
                                               : random_order(options.cells.size(), rng);
    for (std::size_t position = 0; position < order.size(); ++position) {
      const auto cell_index = order[position];
      ChildRequest request;
      request.range = result.range;
      request.threads = options.cells[cell_index].threads;
      // Always the sequential region first, as the blog times them. A random order per child
      // turns an order effect of the free-threaded build (the first timed region runs about 10%
      // slower) into noise: it nearly doubled the per-round spread of the free-threaded speedup
      // at range 200,000 (docs/benchmark-results.md, "Timed regions in a fixed order").
      request.seq_first = true;
      // The same-machine reference: the same split in processes, in the same child. Only the
      // free-threaded flavour's gates; the GIL build's would cost a third of its cell's time.
      request.reference = options.reference && request.threads > 1 &&
                          options.cells[cell_index].flavor == Flavor::ft;
      request.repeats = options.repeats;
      request.timeout = timeouts[cell_index];
      Sample sample = executor.execute(options.cells[cell_index], request);
      sample.round = round;
      sample.position = static_cast<int>(position);
      sample.cell = options.cells[cell_index];
      if (result.range == 0 && sample.ok && sample.sized_range > 0)
        result.range = sample.sized_range;
      if (round == 0 && sample.ok)
        timeouts[cell_index] =
            std::max(options.min_timeout, to_millis(options.timeout_factor * sample.wall_seconds));
      result.samples.push_back(std::move(sample));
    }
    const double took = clock() - round_start;
    if (round == 0) {
      warmup_seconds = took;
      continue;
    }
    round_seconds.push_back(took);
    ++result.measured_rounds;

    if (options.decided && result.measured_rounds >= options.min_rounds_before_decided) {
      std::vector<Sample> measured;
      for (const auto& s : result.samples)
        if (s.round > 0) measured.push_back(s);
      if (options.decided(measured)) {
        result.decided_early = true;
        break;
      }
    }
  }
  return result;
}

}  // namespace gilguard::measure
