#pragma once

#include <vector>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"

// Interference: how much of a timed region's worker time went to something outside the child.
// With no more workers than CPUs, a worker that is runnable but not running waits because
// something else holds a CPU; if that something is the child's own other threads it is the
// code's own cost, otherwise it is interference (docs/statistics.md, "Interference").
namespace gilguard::stats {

// A region is disturbed when it lost more than this fraction of its worker time (calibrated on
// quiet rounds: docs/evaluation.md, "Interference").
inline constexpr double k_default_interference_limit = 0.05;

// The parts of a region's worker time lost to the outside, as fractions of workers x wall.
struct RegionLoss {
  double others = 0;  // run-queue delay not explained by the child's own other threads
  double steal = 0;   // the hypervisor's steal, machine-wide, shared out per CPU
  double quota = 0;   // cgroup throttling (all workers stop)
  double total() const { return others + steal + quota; }
};

// The loss of one region on a machine of `cpus` CPUs. Zero when the region has more workers
// than CPUs (its waits are its own) or no readings.
RegionLoss region_loss(const RegionLoad& load, int cpus);

// The largest loss over a sample's regions (sequential, threaded, reference); nullopt for a
// sample without readings (older results files).
std::optional<RegionLoss> sample_loss(const Sample& sample);

// True when some region of the sample lost more than `limit` of its worker time.
bool is_disturbed(const Sample& sample, double limit = k_default_interference_limit);

// Over the measured (round > 0) ok samples: how many were set aside and what took the time;
// nullopt when no sample has readings.
std::optional<InterferenceSummary> interference_summary(
    const std::vector<Sample>& samples, double limit = k_default_interference_limit);

}  // namespace gilguard::stats
