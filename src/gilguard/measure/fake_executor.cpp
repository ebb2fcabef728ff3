#include "gilguard/measure/fake_executor.hpp"

namespace gilguard::measure {

Sample FakeExecutor::execute(const Cell& cell, const ChildRequest& request) {
  const int call = static_cast<int>(m_calls.size());
  m_calls.push_back({cell, request});
  Sample sample;
  sample.cell = cell;
  sample.seq_first = request.seq_first;
  sample.ok = true;
  const double slowdown = cell.flavor == Flavor::ft ? k_ft_slowdown : 1.0;
  sample.t_seq = m_t_seq * slowdown;
  const int parallel = cell.flavor == Flavor::ft ? request.threads : 1;
  sample.t_par = sample.t_seq / parallel;
  sample.thread_times.assign(static_cast<std::size_t>(request.threads),
                             sample.t_seq / request.threads);
  sample.count_seq = m_count;
  sample.count_par = m_count;
  sample.gil_enabled = cell.flavor == Flavor::gil;
  if (request.range == 0) sample.sized_range = k_sized_range;
  if (request.reference) {
    // Processes scale perfectly in both flavours: the same machine, no shared interpreter.
    sample.t_ref = sample.t_seq / request.threads;
    sample.ref_times.assign(static_cast<std::size_t>(request.threads), sample.t_ref);
    sample.count_ref = m_count;
  }
  sample.wall_seconds = sample.t_seq + sample.t_par + sample.t_ref + k_overhead;
  if (m_tweak) m_tweak(sample, request, call);
  m_now += sample.wall_seconds;
  return sample;
}

}  // namespace gilguard::measure
