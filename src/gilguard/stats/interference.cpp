#include "gilguard/stats/interference.hpp"

#include <algorithm>

#include "gilguard/stats/estimators.hpp"

namespace gilguard::stats {

RegionLoss region_loss(const RegionLoad& load, int cpus) {
  RegionLoss loss;
  if (!(load.wall > 0) || load.workers < 1 || (cpus > 0 && load.workers > cpus)) return loss;
  const double capacity = load.wall * load.workers;
  if (load.wait) {
    const double own = load.other_cpu.value_or(0);
    loss.others = std::max(0.0, *load.wait - own) / capacity;
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

bool is_disturbed(const Sample& sample, double limit) {
  const auto loss = sample_loss(sample);
  return loss && loss->total() > limit;
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
    if (loss->total() > limit) ++out.set_aside;
    sum.others += loss->others;
    sum.steal += loss->steal;
    sum.quota += loss->quota;
  }
  if (out.samples == 0) return std::nullopt;
  out.median = median(totals);
  if (sum.total() > 0) {
    if (sum.others >= sum.steal && sum.others >= sum.quota)
      out.dominant = "other processes";
    else if (sum.steal >= sum.quota)
      out.dominant = "steal";
    else
      out.dominant = "CPU quota";
  }
  return out;
}

}  // namespace gilguard::stats
