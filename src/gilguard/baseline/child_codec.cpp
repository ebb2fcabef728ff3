#include "gilguard/baseline/child_codec.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>
#include <limits>

#include "gilguard/baseline/json_node.hpp"
#include "gilguard/baseline/json_text.hpp"

namespace gilguard::baseline {

RegionLoad region_load_from(const Node& node) {
  RegionLoad load;
  load.wall = node.field("wall").as_number();
  load.workers = static_cast<int>(node.field("workers").as_integer(1, 1 << 20));
  load.wait = node.optional_number("wait");
  load.other_cpu = node.optional_number("other_cpu");
  load.steal = node.optional_number("steal");
  load.pressure = node.optional_number("pressure");
  load.throttled = node.optional_number("throttled");
  load.background = node.optional_number("background");
  load.minor_faults = node.optional_number("faults");
  load.workers_cpu = node.optional_number("workers_cpu");
  load.voluntary_switches = node.optional_number("voluntary_switches");
  load.involuntary_switches = node.optional_number("involuntary_switches");
  if (const auto regions = node.optional_field("regions"))
    load.regions = static_cast<int>(regions->as_integer(1, 1 << 20));
  return load;
}

LossSplit loss_split_from(const Node& node) {
  node.allow_only({"cpu", "waiting", "machine", "rounds"});
  LossSplit split;
  split.cpu = node.field("cpu").as_number();
  split.waiting = node.field("waiting").as_number();
  split.machine = node.field("machine").as_number();
  split.rounds = static_cast<int>(node.field("rounds").as_integer(1, 1 << 30));
  return split;
}

boost::json::value loss_split_json(const LossSplit& split) {
  return boost::json::object{{"cpu", split.cpu},
                             {"waiting", split.waiting},
                             {"machine", split.machine},
                             {"rounds", split.rounds}};
}

Expected<ChildReport> decode_child_report(std::string_view report_text) {
  // The report is the last non-empty line.
  const auto end = report_text.find_last_not_of(" \t\r\n");
  if (end == std::string_view::npos) return fail("the child wrote no report");
  const auto newline = report_text.rfind('\n', end);
  const auto begin = newline == std::string_view::npos ? 0 : newline + 1;
  const auto line = report_text.substr(begin, end + 1 - begin);
  auto parsed = parse_json(line);
  if (!parsed)
    return fail(
        fmt::format("its last line is not JSON ({}): {:.200}", parsed.error().message, line));
  try {
    constexpr auto k_max = std::numeric_limits<std::int64_t>::max();
    const Node root(*parsed, "");
    ChildReport report;
    report.range = root.field("range").as_integer(0, k_max);
    report.threads = static_cast<int>(root.field("threads").as_integer(1, 1 << 20));
    report.seq_first = root.field("seq_first").as_bool();
    report.count_seq = root.field("count_seq").as_integer(0, k_max);
    report.count_par = root.field("count_par").as_integer(0, k_max);
    report.t_seq = root.field("t_seq").as_number();
    report.t_par = root.field("t_par").as_number();
    for (const auto& t : root.field("thread_times").elements())
      report.thread_times.push_back(t.as_number());
    // [[cold, warm, start], ...] per thread: its warm-up part's first and second call and its
    // start delay; a thread pays the start and the first call's extra time. Absent from older
    // scripts, null where a warm-up failed.
    if (const auto warm = root.optional_field("thread_warm_up")) {
      for (const auto& entry : warm->elements()) {
        if (entry.value().is_null()) continue;
        const auto parts = entry.elements();
        if (parts.size() != 3) entry.reject("expected [cold seconds, warm seconds, start seconds]");
        report.thread_warm_up.push_back(parts[0].as_number() - parts[1].as_number() +
                                        parts[2].as_number());
      }
    }
    const auto gil = root.field("gil_enabled");
    if (!gil.value().is_null()) report.gil_enabled = gil.as_bool();
    for (const auto& w : root.field("warnings").elements())
      report.warnings.push_back(w.as_string());
    if (const auto distinct = root.optional_field("distinct_warnings"))
      report.distinct_warnings = static_cast<int>(distinct->as_integer(0, 1 << 30));
    if (const auto t_ref = root.optional_field("t_ref")) {
      report.t_ref = t_ref->as_number();
      report.count_ref = root.field("count_ref").as_integer(0, k_max);
      for (const auto& t : root.field("ref_times").elements())
        report.ref_times.push_back(t.as_number());
    }
    if (const auto cpus = root.optional_field("cpus"); cpus && !cpus->value().is_null())
      report.cpus = static_cast<int>(cpus->as_integer(0, 1 << 20));
    if (const auto loads = root.optional_field("loads")) {
      if (const auto seq = loads->optional_field("seq")) report.seq_load = region_load_from(*seq);
      if (const auto par = loads->optional_field("par")) report.par_load = region_load_from(*par);
      if (const auto ref = loads->optional_field("ref")) report.ref_load = region_load_from(*ref);
    }
    if (const auto expected = root.optional_field("expected");
        expected && !expected->value().is_null())
      report.expected = expected->as_integer(0, k_max);
    if (const auto by = root.optional_field("background_by")) {
      for (const auto& entry : by->elements()) {
        if (report.background_by.size() >= k_max_burners) break;
        const auto parts = entry.elements();
        if (parts.size() != 3) entry.reject("expected [kind, name, seconds]");
        const std::string kind = parts[0].as_string();
        if (kind != "thread" && kind != "process") parts[0].reject("expected thread or process");
        report.background_by.push_back(
            {kind, parts[1].as_string().substr(0, k_max_name), parts[2].as_number()});
      }
    }
    return report;
  } catch (const FieldError& e) {
    return fail(e.what());
  }
}

}  // namespace gilguard::baseline
