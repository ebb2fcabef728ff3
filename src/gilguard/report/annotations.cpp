#include "gilguard/report/annotations.hpp"

#include <fmt/format.h>

namespace gilguard::report {
namespace {

std::string escape(std::string_view text, bool property) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string_view plural(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "errors";
    case Severity::warning:
      return "warnings";
    case Severity::notice:
      return "notices";
  }
  return "notices";
}

// One annotation that stands for `rest`: names how many and lists their titles.
Finding merge(Severity severity, const std::vector<const Finding*>& rest) {
  std::string titles;
  for (const auto* finding : rest) titles += (titles.empty() ? "" : "; ") + finding->title;
  // Titles are short, but a few hundred of them would still make a wall of text.
  constexpr std::size_t k_max_titles = 2000;
  if (titles.size() > k_max_titles) {
    std::size_t cut = titles.rfind("; ", k_max_titles);
    titles = titles.substr(0, cut == std::string::npos ? k_max_titles : cut) + "; ...";
  }
  Finding merged;
  merged.severity = severity;
  merged.rank = rest.front()->rank;
  merged.title = fmt::format("{} more {}", rest.size(), plural(severity));
  merged.message = fmt::format("and {} more, see the job summary: {}", rest.size(), titles);
  return merged;
}

}  // namespace

std::string escape_data(std::string_view text) { return escape(text, false); }

std::string escape_property(std::string_view text) { return escape(text, true); }

std::string workflow_command(std::string_view name,
                             const std::vector<std::pair<std::string, std::string>>& properties,
                             std::string_view data) {
  std::string line = fmt::format("::{}", name);
  bool first = true;
  for (const auto& [key, value] : properties) {
    if (value.empty()) continue;
    line += first ? ' ' : ',';
    first = false;
    line += key + "=" + escape_property(value);
  }
  return line + "::" + escape_data(data);
}

std::vector<Finding> select_annotations(const std::vector<Finding>& findings, std::size_t limit) {
  std::vector<Finding> shown;
  if (limit == 0) return shown;
  for (const auto severity : {Severity::error, Severity::warning, Severity::notice}) {
    std::vector<const Finding*> group;
    for (const auto& finding : findings) {
      if (finding.severity == severity) group.push_back(&finding);
    }
    if (group.size() <= limit) {
      for (const auto* finding : group) shown.push_back(*finding);
      continue;
    }
    for (std::size_t i = 0; i + 1 < limit; ++i) shown.push_back(*group[i]);
    shown.push_back(
        merge(severity, {group.begin() + static_cast<std::ptrdiff_t>(limit - 1), group.end()}));
  }
  return shown;
}

std::string render_annotations(const std::vector<Finding>& findings, std::size_t limit) {
  std::string out;
  for (const auto& finding : select_annotations(findings, limit)) {
    out +=
        workflow_command(to_string(finding.severity), {{"title", finding.title}}, finding.message);
    out += '\n';
  }
  return out;
}

std::string defuse_commands(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    if (line_start && c == ':' && i + 1 < text.size() && text[i + 1] == ':') {
      out += ": :";
      ++i;
      line_start = false;
      continue;
    }
    if (c == '#' && text.substr(i, 3) == "##[") {
      out += "## [";
      i += 2;
      line_start = false;
      continue;
    }
    // C1 controls in UTF-8 (U+0080 to U+009F, CSI among them) act like ESC sequences.
    if (u == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      out += '?';
      ++i;
      line_start = false;
      continue;
    }
    const bool line_break = c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n');
    if ((u < 0x20 && c != '\t' && !line_break) || u == 0x7F) {
      // ESC, a bare CR (the runner starts a new line there) and other controls.
      out += '?';
      line_start = false;
      continue;
    }
    out += c;
    if (c == '\n') {
      line_start = true;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      line_start = false;
    }
  }
  return out;
}

std::string guard_commands(std::string_view text, std::string_view token) {
  std::string chosen(token);
  // A token found in the text could end the pause early; lengthen it until it is not there.
  while (chosen.empty() || text.find(chosen) != std::string_view::npos) chosen += "-x";
  std::string out = fmt::format("::stop-commands::{}\n", chosen);
  out += text;
  if (!text.empty() && text.back() != '\n') out += '\n';
  out += fmt::format("::{}::\n", chosen);
  return out;
}

}  // namespace gilguard::report
