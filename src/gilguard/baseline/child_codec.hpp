#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/baseline/json_node.hpp"
#include "gilguard/core/error.hpp"
#include "gilguard/core/run_result.hpp"

namespace gilguard::baseline {

// How many background burners a report may name, and how long a name may be.
inline constexpr std::size_t k_max_burners = 3;
inline constexpr std::size_t k_max_name = 80;

// The one JSON line a child writes on its report channel at its end: the prime script's, or the
// harness's (which adds `expected`).
struct ChildReport {
  std::int64_t range = 0;
  int threads = 0;
  bool seq_first = true;
  std::int64_t count_seq = 0;
  std::int64_t count_par = 0;
  double t_seq = 0;
  double t_par = 0;
  std::vector<double> thread_times;
  std::vector<double> thread_warm_up;  // per thread: first warm-up call minus the second
  std::optional<bool> gil_enabled;     // null where sys._is_gil_enabled does not exist
  std::vector<std::string> warnings;
  // The process reference (absent unless asked for) and the readings around each region.
  double t_ref = 0;
  std::vector<double> ref_times;
  std::int64_t count_ref = 0;
  int cpus = 0;
  std::optional<RegionLoad> seq_load;
  std::optional<RegionLoad> par_load;
  std::optional<RegionLoad> ref_load;
  std::optional<std::int64_t> expected;  // the harness's closed-form result (built-ins only)
  std::vector<Burner> background_by;     // at most k_max_burners, names cut to k_max_name
  // Distinct warnings the child recorded (its `warnings` are the first few); 0 when not given.
  int distinct_warnings = 0;
};

// A region's readings from its JSON object (wall, workers, wait, other_cpu, steal, pressure,
// throttled; null for unknown readings). Shared by the child report and the results files.
RegionLoad region_load_from(const Node& node);

// A loss split (LossSplit) from its JSON object {"cpu", "waiting", "machine", "rounds"}, and
// back: shared by the results, baseline and comparison files.
LossSplit loss_split_from(const Node& node);
boost::json::value loss_split_json(const LossSplit& split);

// Reads the last non-empty line of what a child wrote on its report channel; an error names the
// field that is missing or of the wrong type.
Expected<ChildReport> decode_child_report(std::string_view report_text);

}  // namespace gilguard::baseline
