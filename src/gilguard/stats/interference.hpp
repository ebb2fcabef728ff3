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
  // cgroup throttling (all workers stop). Not interference: a CPU quota is the machine's
  // capacity, like a slower CPU, and it throttles the threads and the process reference alike.
  // Reported, never a reason to set a sample aside.
  double quota = 0;
  double total() const { return others + steal; }
};

// The loss of one region on a machine of `cpus` CPUs. Zero when the region has more workers
// than CPUs (its waits are its own) or no readings.
RegionLoss region_loss(const RegionLoad& load, int cpus);

// The largest loss over a sample's regions (sequential, threaded, reference); nullopt for a
// sample without readings (older results files).
std::optional<RegionLoss> sample_loss(const Sample& sample);

// What each metric's value from this sample can bear, with `limit` the largest loss allowed:
// - the sequential time (the overhead): its region's loss;
// - the raw speedup t_seq / t_par: the sequential and the threaded region's losses;
// - the speedup against processes t_ref / t_par: the difference between the threaded and the
//   reference region's losses. A neighbour that takes the same share from both cancels in the
//   ratio, as the machine's own capacity does; one that hits only one of them does not.
bool disturbs_sequential(const Sample& sample, double limit = k_default_interference_limit);
bool disturbs_speedup(const Sample& sample, double limit = k_default_interference_limit);
bool disturbs_relative(const Sample& sample, double limit = k_default_interference_limit);

// True when the value the sample gives its gating metric is disturbed: the sequential time of a
// one-thread sample (the overhead), the speedup against processes of a sample with threads and
// a reference, the raw speedup of one without.
bool is_disturbed(const Sample& sample, double limit = k_default_interference_limit);

// Over the measured (round > 0) ok samples: how many were set aside (is_disturbed) and what took
// the time (other processes or steal), and the largest share of a region the CPU quota
// throttled; nullopt when no sample has readings.
std::optional<InterferenceSummary> interference_summary(
    const std::vector<Sample>& samples, double limit = k_default_interference_limit);

}  // namespace gilguard::stats
