#include "gilguard/baseline/child_codec.hpp"

#include <fmt/format.h>

#include <limits>

#include "gilguard/baseline/json_node.hpp"
#include "gilguard/baseline/json_text.hpp"

namespace gilguard::baseline {

Expected<ChildReport> decode_child_report(std::string_view stdout_text) {
  // The report is the last non-empty line; anything printed before it is ignored.
  const auto end = stdout_text.find_last_not_of(" \t\r\n");
  if (end == std::string_view::npos) return fail("the child printed nothing on stdout");
  const auto newline = stdout_text.rfind('\n', end);
  const auto begin = newline == std::string_view::npos ? 0 : newline + 1;
  const auto line = stdout_text.substr(begin, end + 1 - begin);
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
    const auto gil = root.field("gil_enabled");
    if (!gil.value().is_null()) report.gil_enabled = gil.as_bool();
    for (const auto& w : root.field("warnings").elements())
      report.warnings.push_back(w.as_string());
    return report;
  } catch (const FieldError& e) {
    return fail(e.what());
  }
}

}  // namespace gilguard::baseline
