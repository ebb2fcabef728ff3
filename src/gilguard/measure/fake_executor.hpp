#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "gilguard/measure/executor.hpp"

namespace gilguard::measure {

// A deterministic stand-in for ProcessExecutor (tests of the scheduler, the checks and
// `gilguard check`): every child "takes" a fixed simulated time on a fake clock and reports
// the right count; the free-threaded flavour scales perfectly, the GIL one not at all, and the
// process reference scales perfectly in both.
class FakeExecutor : public Executor {
 public:
  // Called on each sample before it is returned, with the number of the call (from 0), to
  // inject failures, wrong counts, GIL states or delays.
  using Tweak = std::function<void(Sample&, const ChildRequest&, int call)>;

  // Children report `count` for both runs; each sequential run takes `t_seq` simulated seconds
  // (10% more in the free-threaded flavour), plus 0.05 s outside the timed regions per child.
  explicit FakeExecutor(std::int64_t count = 0, Tweak tweak = {}, double t_seq = 1.0)
      : m_count(count), m_tweak(std::move(tweak)), m_t_seq(t_seq) {}

  // What execute was asked, in order.
  struct Call {
    Cell cell;
    ChildRequest request;
  };

  Sample execute(const Cell& cell, const ChildRequest& request) override;

  // Seconds on the fake clock: the sum of the simulated wall times so far.
  double now() const { return m_now; }
  // A clock for ScheduleOptions / RunHooks that reads now().
  std::function<double()> clock() {
    return [this] { return m_now; };
  }
  const std::vector<Call>& calls() const { return m_calls; }

  // The range a child asked to size its range (range 0) reports.
  static constexpr std::int64_t k_sized_range = 4096;

 private:
  static constexpr double k_ft_slowdown = 1.1;
  static constexpr double k_overhead = 0.05;
  std::int64_t m_count;
  Tweak m_tweak;
  double m_t_seq;
  double m_now = 0;
  std::vector<Call> m_calls;
};

}  // namespace gilguard::measure
