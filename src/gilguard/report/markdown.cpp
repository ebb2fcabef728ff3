#include "gilguard/report/markdown.hpp"

#include <algorithm>

namespace gilguard::report {
namespace {

std::size_t longest_run(std::string_view text, char c) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (const char ch : text) {
    run = ch == c ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// Backs `end` off so that text[0, end) does not end inside a UTF-8 sequence.
std::size_t utf8_boundary(std::string_view text, std::size_t end) {
  end = std::min(end, text.size());
  while (end > 0 && end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return end;
}

// What is still open at the end of a Markdown prefix: a code fence and <details> blocks.
struct OpenBlocks {
  std::string fence;  // the opening fence ("```", "````"), empty when none is open
  int details = 0;
};

OpenBlocks scan_open_blocks(std::string_view text) {
  OpenBlocks open;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    std::size_t ticks = 0;
    while (ticks < line.size() && line[ticks] == '`') ++ticks;
    if (!open.fence.empty()) {
      const bool closes = ticks >= open.fence.size() &&
                          line.find_first_not_of(" \t", ticks) == std::string_view::npos;
      if (closes) open.fence.clear();
      continue;
    }
    if (ticks >= 3) {
      open.fence.assign(ticks, '`');
    } else if (line.starts_with("<details")) {
      ++open.details;
    } else if (line.starts_with("</details>") && open.details > 0) {
      --open.details;
    }
  }
  return open;
}

}  // namespace

std::string code_span(std::string_view text) {
  std::string body(text);
  std::replace(body.begin(), body.end(), '\n', ' ');
  std::replace(body.begin(), body.end(), '\r', ' ');
  const std::string fence(longest_run(body, '`') + 1, '`');
  // A span that starts or ends with a backtick (or is all spaces) needs a space of padding.
  const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  if (pad) body = " " + body + " ";
  return fence + body + fence;
}

std::string table_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string markdown_text(std::string_view text) {
  static constexpr std::string_view k_special = "\\`*_[]<>#&|~";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (c == '@') {
      out += "@\u200B";
    } else {
      if (k_special.find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out;
}

std::string indent(std::string_view text, std::size_t spaces) {
  const std::string pad(spaces, ' ');
  std::string out;
  bool at_line_start = true;
  for (const char c : text) {
    if (at_line_start && c != '\n') out += pad;
    out += c;
    at_line_start = c == '\n';
  }
  return out;
}

std::string shell_quote(std::string_view text) {
  const bool plain = !text.empty() && text.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789_./-=:,+@%") == std::string_view::npos;
  if (plain) return std::string(text);
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string code_block(std::string_view text, std::string_view info) {
  const std::string fence(std::max<std::size_t>(3, longest_run(text, '`') + 1), '`');
  std::string out = fence + std::string(info) + "\n" + std::string(text);
  if (!text.empty() && text.back() != '\n') out += '\n';
  return out + fence + "\n";
}

std::string truncate_markdown(std::string_view text, std::size_t max_bytes,
                              std::string_view footer) {
  if (text.size() <= max_bytes) return std::string(text);
  // Room for the closers: a fence (at most as long as the longest backtick run), the details
  // tags, and the footer itself.
  std::size_t budget = max_bytes > footer.size() ? max_bytes - footer.size() : 0;
  for (;;) {
    std::size_t cut = utf8_boundary(text, budget);
    const std::size_t newline = text.rfind('\n', cut == 0 ? 0 : cut - 1);
    cut = (newline == std::string_view::npos || cut == 0) ? cut : newline + 1;
    std::string out(text.substr(0, cut));
    const OpenBlocks open = scan_open_blocks(out);
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (!open.fence.empty()) out += open.fence + "\n";
    for (int i = 0; i < open.details; ++i) out += "\n</details>\n";
    out += footer;
    if (out.size() <= max_bytes || cut == 0) {
      if (out.size() > max_bytes) return truncate_utf8(footer, max_bytes);
      return out;
    }
    // The closers did not fit: give up the overshoot plus a little and try again.
    budget = cut > (out.size() - max_bytes) + 1 ? cut - (out.size() - max_bytes) - 1 : 0;
  }
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  if (max_bytes < 3) return std::string(max_bytes, '.');
  return std::string(text.substr(0, utf8_boundary(text, max_bytes - 3))) + "...";
}

}  // namespace gilguard::report
