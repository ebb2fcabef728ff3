#include "gilguard/stats/attribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "gilguard/stats/estimators.hpp"

namespace gilguard::stats {
namespace {

// One region (threaded or reference) in seconds per region: the workers' capacity over the
// timed span (workers x span), their CPU, and the log of the one over the other shared between
// the machine and waiting.
struct RegionParts {
  int workers = 0;
  double cpu = 0;       // worker CPU seconds
  double capacity = 0;  // workers x the region's span
  double machine = 0;   // log(capacity / cpu) x the machine's share of the workers' time off CPU
  double waiting = 0;   // the rest of log(capacity / cpu)
};

std::optional<RegionParts> region_parts(const std::optional<RegionLoad>& load, double span,
                                        const std::vector<double>& worker_seconds, int cpus) {
  if (!load || !load->workers_cpu || !load->wait || !(span > 0) || !(*load->workers_cpu > 0) ||
      worker_seconds.size() != static_cast<std::size_t>(load->workers))
    return std::nullopt;
  // The readings of a combined load are sums over its regions (two, A B B A); the span and the
  // per-worker seconds are means over them. Files before issue 23 do not say how many.
  const double regions =
      load->regions > 0 ? load->regions : std::max(1.0, std::round(load->wall / span));
  RegionParts out;
  out.workers = load->workers;
  out.cpu = *load->workers_cpu / regions;
  out.capacity = load->workers * span;
  // Run-queue delay less what the child's own other threads and processes caused (its cost, as
  // in region_loss; a throttled worker's time is counted there too), plus the workers' share of
  // steal, which their CPU clocks leave out.
  const double own = std::max(load->background.value_or(0), load->other_cpu.value_or(0));
  double taken = std::max(0.0, *load->wait - own) / regions;
  if (load->steal && cpus > 0)
    taken += std::max(0.0, *load->steal) * load->workers / cpus / regions;
  // Each worker's own span less its CPU: the time it was off the CPU while it had work. The
  // span's remainder (a worker done before the slowest one, a late start) follows the same
  // shares: whoever held the others up caused it.
  const double walls = std::accumulate(worker_seconds.begin(), worker_seconds.end(), 0.0);
  const double off = std::max(0.0, walls - out.cpu);
  const double machine = std::min(taken, off);
  const double gap = std::log(out.capacity / out.cpu);
  if (off > 0) {
    out.machine = gap * machine / off;
    out.waiting = gap * (off - machine) / off;
  } else {
    out.waiting = gap;  // nothing off the CPU inside the spans: only an uneven finish
  }
  return out;
}

bool measures(const Sample& sample, Flavor flavor, int threads) {
  return sample.round >= 1 && sample.ok && sample.cell.side == Side::head &&
         sample.cell.flavor == flavor && sample.cell.threads == threads && sample.t_par > 0 &&
         sample.t_ref > 0 && sample.t_seq > 0;
}

}  // namespace

std::optional<LossSplit> round_split(const Sample& sample) {
  if (!(sample.t_par > 0) || !(sample.t_ref > 0)) return std::nullopt;
  const auto threads =
      region_parts(sample.par_load, sample.t_par, sample.thread_times, sample.cpus);
  const auto procs = region_parts(sample.ref_load, sample.t_ref, sample.ref_times, sample.cpus);
  if (!threads || !procs || threads->workers != procs->workers) return std::nullopt;
  LossSplit split;
  split.cpu = std::log(threads->cpu / procs->cpu);
  split.waiting = threads->waiting - procs->waiting;
  split.machine = threads->machine - procs->machine;
  split.rounds = 1;
  return split;
}

std::optional<LossSplit> median_split(const std::vector<LossSplit>& splits) {
  if (splits.empty()) return std::nullopt;
  std::vector<double> cpu, waiting, machine;
  for (const auto& s : splits) {
    cpu.push_back(s.cpu);
    waiting.push_back(s.waiting);
    machine.push_back(s.machine);
  }
  return LossSplit{median(cpu), median(waiting), median(machine), static_cast<int>(splits.size())};
}

std::optional<LossSplit> metric_split(const std::vector<Sample>& samples, const MetricId& id,
                                      double interference_limit) {
  if (id.kind != MetricKind::relative) return std::nullopt;
  std::vector<LossSplit> splits;
  std::vector<int> rounds;
  for (const Sample& sample : samples) {
    if (!measures(sample, id.flavor, id.threads) || disturbs_relative(sample, interference_limit))
      continue;
    if (std::find(rounds.begin(), rounds.end(), sample.round) != rounds.end()) continue;
    if (const auto split = round_split(sample)) {
      splits.push_back(*split);
      rounds.push_back(sample.round);
    }
  }
  return median_split(splits);
}

std::optional<LossSplit> cell_split(const std::vector<Sample>& samples, const Cell& cell) {
  std::vector<LossSplit> splits;
  for (const Sample& sample : samples) {
    if (sample.round < 1 || !sample.ok || !(sample.cell == cell)) continue;
    if (const auto split = round_split(sample)) splits.push_back(*split);
  }
  return median_split(splits);
}

std::optional<LossSplit> baseline_split(const MetricId& id, const std::vector<BaselineRun>& runs) {
  std::vector<LossSplit> splits;
  for (const auto& run : runs) {
    if (const auto estimate = run.find(id); estimate && estimate->split)
      splits.push_back(*estimate->split);
  }
  auto out = median_split(splits);
  // The baseline's rounds: the runs' rounds together.
  if (out) {
    out->rounds = 0;
    for (const auto& s : splits) out->rounds += s.rounds;
  }
  return out;
}

void attach_splits(Comparison& comparison, const std::vector<Sample>& samples,
                   const std::vector<BaselineRun>& history, double interference_limit) {
  for (MetricComparison& metric : comparison.metrics) {
    if (metric.id.kind != MetricKind::relative) continue;
    metric.current.split = metric_split(samples, metric.id, interference_limit);
    // A metric whose every round was set aside as disturbed rests on none: its split over all
    // of them says what took the time.
    if (!metric.current.split && metric.current.rounds == 0)
      metric.current.split =
          metric_split(samples, metric.id, std::numeric_limits<double>::infinity());
    metric.baseline_split = baseline_split(metric.id, history);
  }
}

}  // namespace gilguard::stats
