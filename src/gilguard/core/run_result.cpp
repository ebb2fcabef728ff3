#include "gilguard/core/run_result.hpp"

#include <algorithm>

namespace gilguard {

std::string_view to_string(Side side) { return side == Side::base ? "base" : "head"; }

std::string CpuIdentity::key() const {
  if (vendor.empty() && family.empty() && model.empty() && model_name.empty()) return {};
  std::string out = vendor;
  out += " " + family + "/" + model + "/" + stepping;
  if (!model_name.empty()) out += " " + model_name;
  return out;
}

int MachineFacts::usable_cores() const {
  if (physical_cores <= 0) return usable_cpus;
  return std::max(1, std::min(usable_cpus, physical_cores));
}

}  // namespace gilguard
