#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/error.hpp"

namespace gilguard::baseline {

// The one JSON line the prime workload prints at the end of a child process.
struct ChildReport {
  std::int64_t range = 0;
  int threads = 0;
  bool seq_first = true;
  std::int64_t count_seq = 0;
  std::int64_t count_par = 0;
  double t_seq = 0;
  double t_par = 0;
  std::vector<double> thread_times;
  std::optional<bool> gil_enabled;  // null where sys._is_gil_enabled does not exist
  std::vector<std::string> warnings;
};

// Reads the last non-empty line of a child's stdout; an error names the field that is missing
// or of the wrong type.
Expected<ChildReport> decode_child_report(std::string_view stdout_text);

}  // namespace gilguard::baseline
