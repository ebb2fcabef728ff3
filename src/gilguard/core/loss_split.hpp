#pragma once

#include <optional>

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

// The three parts of a LossSplit.
enum class LossPart { cpu, waiting, machine };

// The part with the largest value, the one that lost the most time (ties: cpu, waiting, machine
// in that order).
inline LossPart largest_part(const LossSplit& split) {
  if (split.cpu >= split.waiting && split.cpu >= split.machine) return LossPart::cpu;
  return split.waiting >= split.machine ? LossPart::waiting : LossPart::machine;
}

// `whole` (a fraction: a loss or a drop) shared out in proportion to the parts, so that the
// shares sum to `whole` exactly; nullopt when the parts' total or `whole` is not positive (the
// proportions would then say nothing).
inline std::optional<LossSplit> shares_of(double whole, const LossSplit& parts) {
  const double total = parts.total();
  if (!(total > 0) || !(whole > 0)) return std::nullopt;
  LossSplit out = parts;
  out.cpu = whole * parts.cpu / total;
  out.waiting = whole * parts.waiting / total;
  out.machine = whole - out.cpu - out.waiting;
  return out;
}

// How each part moved from `base` to `current` (current - base; the rounds of current).
inline LossSplit split_change(const LossSplit& current, const LossSplit& base) {
  return LossSplit{current.cpu - base.cpu, current.waiting - base.waiting,
                   current.machine - base.machine, current.rounds};
}

}  // namespace gilguard
