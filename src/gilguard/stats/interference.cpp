#include "gilguard/stats/interference.hpp"

#include <algorithm>
#include <cmath>

#include "gilguard/stats/estimators.hpp"

namespace gilguard::stats {

RegionLoss region_loss(const RegionLoad& load, int cpus) {
  RegionLoss loss;
  if (!(load.wall > 0) || load.workers < 1 || (cpus > 0 && load.workers > cpus)) return loss;
  const double capacity = load.wall * load.workers;
  if (load.wait) {
    // The kernel counts a throttled worker's time as run-queue delay too: that share is the
    // quota's, not a neighbour's (seen under a 1.5-CPU quota: wait 0.058 s, throttled 0.056 s).
    // The child's own cost: its tree's CPU outside the workers where read (its other threads and
    // every process it started), else its own other threads'.
    const double own = load.background ? std::max(*load.background, load.other_cpu.value_or(0))
                                       : load.other_cpu.value_or(0);
    const double quota = load.throttled.value_or(0) * load.workers;
    loss.others = std::max(0.0, *load.wait - own - quota) / capacity;
  }
  if (load.steal && cpus > 0) loss.steal = std::max(0.0, *load.steal) / (cpus * load.wall);
  if (load.throttled) loss.quota = std::max(0.0, *load.throttled) / load.wall;
  return loss;
}

std::optional<RegionLoss> sample_loss(const Sample& sample) {
  std::optional<RegionLoss> worst;
  for (const auto* load : {&sample.seq_load, &sample.par_load, &sample.ref_load}) {
    if (!*load) continue;
    const RegionLoss loss = region_loss(**load, sample.cpus);
    if (!worst || loss.total() > worst->total()) worst = loss;
  }
  return worst;
}

namespace {

double loss_of(const std::optional<RegionLoad>& load, int cpus) {
  return load ? region_loss(*load, cpus).total() : 0.0;
}

}  // namespace

bool disturbs_sequential(const Sample& sample, double limit) {
  return loss_of(sample.seq_load, sample.cpus) > limit;
}

bool disturbs_speedup(const Sample& sample, double limit) {
  return disturbs_sequential(sample, limit) || loss_of(sample.par_load, sample.cpus) > limit;
}

bool disturbs_relative(const Sample& sample, double limit) {
  return std::fabs(loss_of(sample.par_load, sample.cpus) - loss_of(sample.ref_load, sample.cpus)) >
         limit;
}

bool is_disturbed(const Sample& sample, double limit) {
  if (sample.cell.threads <= 1) return disturbs_sequential(sample, limit);
  return sample.t_ref > 0 ? disturbs_relative(sample, limit) : disturbs_speedup(sample, limit);
}

std::optional<InterferenceSummary> interference_summary(const std::vector<Sample>& samples,
                                                        double limit) {
  InterferenceSummary out;
  std::vector<double> totals;
  RegionLoss sum;
  for (const Sample& sample : samples) {
    if (sample.round < 1 || !sample.ok) continue;
    const auto loss = sample_loss(sample);
    if (!loss) continue;
    ++out.samples;
    totals.push_back(loss->total());
    out.worst = std::max(out.worst, loss->total());
    if (is_disturbed(sample, limit)) ++out.set_aside;
    sum.others += loss->others;
    sum.steal += loss->steal;
    // Over every region: the worst region by interference need not be the most throttled one.
    for (const auto* load : {&sample.seq_load, &sample.par_load, &sample.ref_load})
      if (*load) out.throttled = std::max(out.throttled, region_loss(**load, sample.cpus).quota);
  }
  if (out.samples == 0) return std::nullopt;
  out.median = median(totals);
  if (sum.total() > 0) out.dominant = sum.others >= sum.steal ? "other processes" : "steal";
  return out;
}

}  // namespace gilguard::stats
