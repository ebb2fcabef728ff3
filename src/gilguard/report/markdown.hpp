#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gilguard::report {

// `text` as an inline code span: a backtick fence longer than any run inside it, line breaks
// turned into spaces. Used for anything not written by gilguard (paths, interpreter output), so
// it cannot add Markdown, HTML or @mentions.
std::string code_span(std::string_view text);

// Escapes a table cell: '|' -> '\|' (also inside code spans, as GFM tables require) and line
// breaks -> spaces.
std::string table_cell(std::string_view text);

// Plain text made inert in Markdown: punctuation that could start emphasis, links, HTML or
// tables is backslash-escaped, line breaks become spaces, and '@' is followed by a zero-width
// space so that no @mention or team is notified.
std::string markdown_text(std::string_view text);

// Every line of `text` indented by `spaces` (to continue a list item).
std::string indent(std::string_view text, std::size_t spaces);

// A path or argument quoted for a POSIX shell when it needs quoting.
std::string shell_quote(std::string_view text);

// A fenced code block holding `text` verbatim, its fence longer than any backtick run inside.
std::string code_block(std::string_view text, std::string_view info = "");

// The longest prefix of `text` that is at most `max_bytes` long, cut at a line boundary and
// never inside a UTF-8 sequence, with any open code fence and <details> closed and `footer`
// appended. Returns `text` unchanged when it fits.
std::string truncate_markdown(std::string_view text, std::size_t max_bytes,
                              std::string_view footer);

// `text` cut to at most `max_bytes` bytes without splitting a UTF-8 sequence, "..." appended
// when cut.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace gilguard::report
