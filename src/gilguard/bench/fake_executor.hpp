#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "gilguard/bench/executor.hpp"

namespace gilguard::bench {

// A deterministic stand-in for ProcessExecutor (tests of the scheduler, the checks and
// `gilguard check`): every child "takes" a fixed simulated time on a fake clock and reports
// the right count; the free-threaded flavour scales perfectly, the GIL one not at all.
class FakeExecutor : public Executor {
 public:
  struct Options {
    std::int64_t count = 0;  // reported for both runs
    double t_seq = 1.0;      // seconds of each sequential run
    double ft_slowdown = 1.1;
    double overhead = 0.05;  // simulated seconds outside the timed regions per child
    // Called on each sample before it is returned, with the number of the call (from 0), to
    // inject failures, wrong counts, GIL states or delays.
    std::function<void(Sample&, const ChildRequest&, int call)> tweak;
  };

  // What execute was asked, in order.
  struct Call {
    Cell cell;
    ChildRequest request;
  };

  explicit FakeExecutor(Options options) : m_options(std::move(options)) {}

  Sample execute(const Cell& cell, const ChildRequest& request) override;

  // Seconds on the fake clock: the sum of the simulated wall times so far.
  double now() const { return m_now; }
  // A clock for ScheduleOptions / RunHooks that reads now().
  std::function<double()> clock() {
    return [this] { return m_now; };
  }
  const std::vector<Call>& calls() const { return m_calls; }

 private:
  Options m_options;
  double m_now = 0;
  std::vector<Call> m_calls;
};

}  // namespace gilguard::bench
