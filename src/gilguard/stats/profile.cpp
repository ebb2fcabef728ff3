#include "gilguard/stats/profile.hpp"

#include <algorithm>

namespace gilguard::stats {
namespace {

void add_growth(const std::map<std::string, double>& threads, double thread_total,
                const std::map<std::string, double>& processes, double process_total,
                std::vector<FunctionShare>& out) {
  if (!(thread_total > 0) || !(process_total > 0)) return;
  for (const auto& [name, count] : threads) {
    const auto other = processes.find(name);
    out.push_back({name, count / thread_total,
                   other == processes.end() ? 0.0 : other->second / process_total});
  }
}

}  // namespace

std::vector<FunctionShare> grown_functions(const FunctionSamples& threads,
                                           const FunctionSamples& processes, std::size_t top,
                                           double min_growth) {
  std::vector<FunctionShare> all;
  add_growth(threads.native, threads.samples, processes.native, processes.samples, all);
  add_growth(threads.python, threads.python_samples, processes.python, processes.python_samples,
             all);
  std::erase_if(
      all, [min_growth](const FunctionShare& f) { return f.threads - f.processes < min_growth; });
  std::stable_sort(all.begin(), all.end(), [](const FunctionShare& a, const FunctionShare& b) {
    return a.threads - a.processes > b.threads - b.processes;
  });
  if (all.size() > top) all.resize(top);
  return all;
}

}  // namespace gilguard::stats
