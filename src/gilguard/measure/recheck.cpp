#include "gilguard/measure/recheck.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "gilguard/measure/checks.hpp"
#include "gilguard/measure/limits.hpp"
#include "gilguard/workload/spec.hpp"
#include "gilguard/workload/workload.hpp"

namespace gilguard::measure {
namespace {

constexpr std::string_view k_rerun =
    "the file was damaged or edited; record the run again with 'gilguard run' or 'gilguard "
    "check'";

bool is_measured_time(double seconds) {
  return seconds >= k_min_seconds && seconds <= k_max_seconds;
}

// What a failure is about: its kind and the start of its message up to the first ": " (the
// cell, "ft interpreter, 2 threads"), so that a recorded failure and the same one derived
// again with other wording (PYTHON_GIL named or not) count once.
std::pair<std::string_view, std::string_view> subject(const CheckFailure& failure) {
  const std::string_view message = failure.message;
  return {failure.kind, message.substr(0, message.find(": "))};
}

}  // namespace

Expected<void> validate_results(const RunResult& result) {
  const auto& parameters = result.parameters;
  if (!workload::spec_from_label(parameters.workload))
    return fail(fmt::format(
        "parameters.workload: \"{}\" is not a workload this gilguard measures (\"primes\", "
        "\"builtin:NAME\" or \"file:FILE.py:FUNCTION\"); {}",
        parameters.workload, k_rerun));
  // A sized range stays 0 when no child could size it (every warm-up child failed).
  const bool unsized = parameters.range_sized && parameters.range == 0;
  if (!unsized && (parameters.range < k_min_range || parameters.range > k_max_range))
    return fail(fmt::format("parameters.range: {} is outside the bounds of --range ({} to {}); {}",
                            parameters.range, k_min_range, k_max_range, k_rerun));
  for (std::size_t i = 0; i < result.samples.size(); ++i) {
    const Sample& sample = result.samples[i];
    if (!sample.ok) continue;
    const std::pair<const char*, double> times[] = {{"t_seq", sample.t_seq},
                                                    {"t_par", sample.t_par}};
    for (const auto& [name, seconds] : times) {
      if (!is_measured_time(seconds))
        return fail(fmt::format(
            "samples[{}].{}: {:g} is not a time gilguard can have measured (expected {:g} to "
            "{:g} seconds in a successful sample); {}",
            i, name, seconds, k_min_seconds, k_max_seconds, k_rerun));
    }
    // The process reference is 0 where it was not measured, a time where it was.
    if (sample.t_ref != 0 && !is_measured_time(sample.t_ref))
      return fail(fmt::format(
          "samples[{}].t_ref: {:g} is not a time gilguard can have measured (expected 0, or "
          "{:g} to {:g} seconds); {}",
          i, sample.t_ref, k_min_seconds, k_max_seconds, k_rerun));
  }
  return {};
}

std::vector<CheckFailure> recheck_failures(const RunResult& result) {
  std::vector<CheckFailure> derived = check_interpreters(result.gil, result.ft);
  std::vector<Sample> samples = result.samples;
  const std::int64_t range = result.parameters.range;
  // Times edited into a file are held against the child's own wall and CPU time as well.
  mark_inconsistent_reports(samples, result.parameters.repeats);
  // Out of bounds is validate_results' error; a result known from the range (the prime sieve's)
  // is not computed for a range it refuses. The label was validated there too.
  const auto described = workload::make_workload(
      workload::spec_from_label(result.parameters.workload).value_or(workload::WorkloadSpec{}));
  if (described->sizes_range() || (range >= k_min_range && range <= k_max_range))
    mark_wrong_results(samples, *described, range);
  for (auto& failure : check_samples(samples, std::nullopt)) derived.push_back(std::move(failure));

  std::vector<CheckFailure> failures = result.failures;
  for (auto& failure : derived) {
    const bool known = std::any_of(failures.begin(), failures.end(), [&](const CheckFailure& f) {
      return subject(f) == subject(failure);
    });
    if (!known) failures.push_back(std::move(failure));
  }
  return failures;
}

}  // namespace gilguard::measure
