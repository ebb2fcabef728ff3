#include "gilguard/workload/workload.hpp"

#include <fmt/format.h>

#include "gilguard/workload/prelude.hpp"
#include "gilguard/workload/primes.hpp"

namespace gilguard::workload {
namespace {

std::string in_processes(const Sample& s) {
  return s.t_ref > 0 ? fmt::format(", in processes {}", s.count_ref) : std::string();
}

// The blog's benchmark: primes below a fixed range (the commands' defaults), counted by trial
// division; every count must equal the sieve's.
class PrimeWorkload final : public Workload {
 public:
  using Workload::Workload;

  bool sizes_range() const override { return false; }
  bool repeats_regions() const override { return true; }

  std::vector<std::string> child_argv(
      const std::filesystem::path& python, const HarnessRun& run,
      const std::vector<std::string>& imports,
      const std::optional<std::string>& gil_override) const override {
    return script_argv(
        python, gil_override, prime_script(),
        {std::to_string(run.range), std::to_string(run.threads), run.seq_first ? "1" : "0",
         run.reference ? "1" : "0", std::to_string(run.repeats)},
        imports);
  }

  std::optional<std::int64_t> expected_result(std::int64_t range) const override {
    return count_primes_below(range);
  }

  std::string wrong_result(const Sample& s, std::optional<std::int64_t> expected,
                           std::int64_t range) const override {
    return fmt::format(
        "wrong prime count: sequential {}, threaded {}{}, but there are {} primes below {}",
        s.count_seq, s.count_par, in_processes(s), expected.value_or(0), range);
  }

  std::optional<double> split_bound(std::int64_t range, int threads) const override {
    return split_speedup_bound(range, threads);
  }
};

// A function called for every index by the harness: a built-in of the suite (with its
// closed-form result, which the child computes) or a benchmark of the user's file (whose regions
// must agree with each other). The child sizes the range when none is given.
class HarnessWorkload final : public Workload {
 public:
  using Workload::Workload;

  bool sizes_range() const override { return true; }
  bool repeats_regions() const override { return false; }

  std::vector<std::string> child_argv(
      const std::filesystem::path& python, const HarnessRun& run,
      const std::vector<std::string>& imports,
      const std::optional<std::string>& gil_override) const override {
    return harness_argv(python, spec(), run, imports, gil_override);
  }

  std::optional<std::int64_t> expected_result(std::int64_t) const override { return std::nullopt; }

  std::string wrong_result(const Sample& s, std::optional<std::int64_t> expected,
                           std::int64_t) const override {
    return fmt::format("wrong result of {}: folded results sequential {}, threaded {}{}{}", label(),
                       s.count_seq, s.count_par, in_processes(s),
                       expected ? fmt::format(", expected {}", *expected) : std::string());
  }
};

}  // namespace

std::optional<double> Workload::split_bound(std::int64_t, int) const { return std::nullopt; }

std::unique_ptr<Workload> make_workload(const WorkloadSpec& spec) {
  if (spec.kind == WorkloadSpec::Kind::primes) return std::make_unique<PrimeWorkload>(spec);
  return std::make_unique<HarnessWorkload>(spec);
}

}  // namespace gilguard::workload
