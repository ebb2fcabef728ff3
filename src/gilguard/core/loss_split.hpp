#pragma once

namespace gilguard {

// Where the threads' time went against the processes' on the same chunks and CPUs (issue 23,
// docs/statistics.md "Where the lost time went"): log(t_par / t_ref) split into three parts
// that sum to it exactly in each round. Positive parts are time the threads lost; a summary
// holds each part's median over rounds (medians need not add up to the median loss).
struct LossSplit {
  double cpu = 0;      // log of the threads' worker CPU over the processes': more CPU per item
  double waiting = 0;  // off the CPU: blocked, parked on a lock, sleeping, waiting for others
  double machine = 0;  // taken by the machine: run-queue delay, steal, throttling
  int rounds = 0;      // rounds the parts rest on

  double total() const { return cpu + waiting + machine; }

  friend bool operator==(const LossSplit&, const LossSplit&) = default;
};

}  // namespace gilguard
