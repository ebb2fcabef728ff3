#include "gilguard/baseline/baseline.hpp"

namespace gilguard::baseline {

std::vector<BaselineRun> Baseline::summaries() const {
  std::vector<BaselineRun> out;
  out.reserve(runs.size());
  for (const auto& entry : runs) out.push_back(entry.summary);
  return out;
}

}  // namespace gilguard::baseline
