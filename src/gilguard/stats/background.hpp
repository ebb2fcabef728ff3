#pragma once

#include <vector>

#include "gilguard/core/comparison.hpp"
#include "gilguard/core/run_result.hpp"

// The code under test's background work: the CPU its whole tree (every thread of the child and
// every process it started) spent outside the timed workers while the regions ran, per second of
// region. It is a count of CPUs, the same on every machine, so it is judged against a fixed
// limit rather than a baseline; and it is the code's own cost, so it is never interference.
namespace gilguard::stats {

// More than 5% of one CPU burned beside the workers is a regression: the noise floor measured
// on quiet machines is well under 1% (docs/statistics.md, "Background work").
inline constexpr double k_default_background_limit = 0.05;

// How many of what burned the CPU a verdict names.
inline constexpr std::size_t k_burners_named = 3;

struct BackgroundOptions {
  double limit = k_default_background_limit;  // CPUs
  double confidence = 0.90;                   // the interval the verdict rests on
  int min_rounds = 5;
  int resamples = 4000;
  Side side = Side::head;  // an A/B run judges the head's code
};

// Per flavour, one value per measured round: the background CPU seconds of every region of that
// flavour's ok samples in the round, over the regions' wall seconds. Rounds whose samples lack
// the reading (older files) give none; a flavour with no value is omitted.
std::vector<MetricSamples> background_samples(const std::vector<Sample>& samples,
                                              Side side = Side::head);

// One flavour's background against the limit: a regression when the whole interval lies above
// it and the signed-rank test of the rounds against it agrees; a pass when the whole interval is
// at or below it; inconclusive otherwise. Always gating; `burners` name what burned the CPU.
MetricComparison compare_background(const MetricSamples& samples,
                                    const std::vector<Burner>& burners, const std::string& source,
                                    const BackgroundOptions& options = {});

// The background comparisons of a run, one per flavour measured with the reading; the burners
// named are the largest a child of that flavour reported, summed by name over the run.
std::vector<MetricComparison> compare_backgrounds(const std::vector<Sample>& samples,
                                                  const BackgroundOptions& options = {});

}  // namespace gilguard::stats
