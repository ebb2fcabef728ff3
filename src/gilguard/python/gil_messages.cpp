#include "gilguard/python/gil_messages.hpp"

#include <algorithm>
#include <array>

namespace gilguard::python {
namespace {

constexpr std::string_view k_warning_marker = "has been enabled to load module '";
constexpr std::string_view k_warning_category = "RuntimeWarning: ";
constexpr std::string_view k_verbose_start = "# loading module '";
constexpr std::string_view k_verbose_end = "', which requires the GIL";
// What site prints under -v (Lib/site.py, _trace; the same in 3.13 and 3.14). The import system's
// -v lines start with "#" or "import " (importlib._bootstrap._verbose_message, and Python/import.c
// for "import _frozen_importlib # frozen" and "import _imp # builtin").
constexpr std::array<std::string_view, 5> k_site_trace_starts = {
    "Processing user site-packages", "Processing global site-packages", "Adding directory: '",
    "Processing .pth file: '", "Skipping hidden .pth file: '"};

// Calls `each` with every line of `text`, without its line break.
template <typename Fn>
void for_each_line(std::string_view text, Fn each) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    each(line);
    pos = end + 1;
  }
}

// The quoted name starting at `from` in `text` (up to the next '), or nullopt when unclosed
// or empty.
std::optional<std::string> quoted_name(std::string_view text, std::size_t from) {
  const auto close = text.find('\'', from);
  if (close == std::string_view::npos || close == from) return std::nullopt;
  return std::string(text.substr(from, close - from));
}

}  // namespace

std::optional<std::string> module_in_gil_warning(std::string_view text) {
  const auto at = text.find(k_warning_marker);
  if (at == std::string_view::npos) return std::nullopt;
  return quoted_name(text, at + k_warning_marker.size());
}

std::vector<std::string> gil_warnings_in_stderr(std::string_view stderr_text) {
  std::vector<std::string> messages;
  for_each_line(stderr_text, [&](std::string_view line) {
    const auto category = line.find(k_warning_category);
    if (category == std::string_view::npos) return;
    const auto message = line.substr(category + k_warning_category.size());
    if (module_in_gil_warning(message)) messages.emplace_back(message);
  });
  return messages;
}

std::vector<std::string> verbose_gil_modules(std::string_view stderr_text) {
  std::vector<std::string> modules;
  for_each_line(stderr_text, [&](std::string_view line) {
    if (!line.starts_with(k_verbose_start) || !line.ends_with(k_verbose_end)) return;
    auto name = line.substr(k_verbose_start.size());
    name.remove_suffix(k_verbose_end.size());
    if (name.empty() || name.find('\'') != std::string_view::npos) return;
    if (std::find(modules.begin(), modules.end(), name) == modules.end())
      modules.emplace_back(name);
  });
  return modules;
}

std::string without_verbose_lines(std::string_view text) {
  std::string kept;
  for_each_line(text, [&](std::string_view line) {
    const bool verbose =
        line.starts_with('#') || line.starts_with("import ") ||
        std::any_of(k_site_trace_starts.begin(), k_site_trace_starts.end(),
                    [&](std::string_view start) { return line.starts_with(start); });
    if (verbose) return;
    kept.append(line);
    kept.push_back('\n');
  });
  return kept;
}

}  // namespace gilguard::python
