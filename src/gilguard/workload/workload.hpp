#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gilguard/core/run_result.hpp"
#include "gilguard/workload/harness.hpp"
#include "gilguard/workload/spec.hpp"

namespace gilguard::workload {

// What the rest of gilguard knows of one workload, whatever it is: how its children run, how its
// range is chosen, and what its results must be. The prime benchmark is one implementation, the
// harness's workloads (the built-in suite, the user's files and their benchmarks) the other, so
// nothing outside this room asks which workload it holds.
class Workload {
 public:
  explicit Workload(WorkloadSpec spec) : m_spec(std::move(spec)) {}
  virtual ~Workload() = default;

  const WorkloadSpec& spec() const { return m_spec; }
  // The name in the results, the reports and the baseline key (WorkloadSpec::label).
  std::string label() const { return m_spec.label(); }

  // True when a child may size the range itself (range 0: the cost of one index is not known
  // before the run, so --range may be left out); false when a run has a fixed default range.
  virtual bool sizes_range() const = 0;
  // True when one child may alternate its sequential and threaded regions (--repeats).
  virtual bool repeats_regions() const = 0;

  // The argv of one child: PYTHON -I [-X gil=V] -c SCRIPT ARGS... MODULES... (`imports` are
  // the --import modules, `gil_override` becomes -X gil=V).
  virtual std::vector<std::string> child_argv(
      const std::filesystem::path& python, const HarnessRun& run,
      const std::vector<std::string>& imports,
      const std::optional<std::string>& gil_override) const = 0;

  // The result every region must report at `range` when it is known before the run; nullopt
  // when the regions must agree with each other (and with a sample's own `expected`, which a
  // built-in's child computes).
  virtual std::optional<std::int64_t> expected_result(std::int64_t range) const = 0;
  // The failure text of a sample whose results disagree (with each other or with `expected`).
  virtual std::string wrong_result(const Sample& sample, std::optional<std::int64_t> expected,
                                   std::int64_t range) const = 0;

  // The best speedup the split of `range` over `threads` allows, when the workload knows it
  // (the run table shows it beside the measured speedup).
  virtual std::optional<double> split_bound(std::int64_t range, int threads) const;

 private:
  WorkloadSpec m_spec;
};

// The workload `spec` names.
std::unique_ptr<Workload> make_workload(const WorkloadSpec& spec);

}  // namespace gilguard::workload
