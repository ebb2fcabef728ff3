#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gilguard::test {

// The lines of `text` (as the Actions runner splits a log: at LF, CR LF and a bare CR) that the
// runner would act on or a terminal would interpret: a line whose first non-blank characters
// are "::", one holding the older "##[" syntax anywhere, or one with ESC or another control
// character (tabs aside). Empty when `text` is safe to print.
inline std::vector<std::string> unsafe_log_lines(std::string_view text) {
  std::vector<std::string> unsafe;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    const std::string line(text.substr(start, end - start));
    const auto first = line.find_first_not_of(" \t");
    bool bad = first != std::string::npos && line.compare(first, 2, "::") == 0;
    bad = bad || line.find("##[") != std::string::npos;
    for (const char c : line) {
      const auto u = static_cast<unsigned char>(c);
      bad = bad || (u < 0x20 && c != '\t') || u == 0x7F;
    }
    if (bad) unsafe.push_back(line);
    start = end + 1;
  }
  return unsafe;
}

}  // namespace gilguard::test
