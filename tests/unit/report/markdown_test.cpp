#include "gilguard/report/markdown.hpp"

#include <gtest/gtest.h>

namespace gilguard::report {
namespace {

TEST(Markdown, CodeSpanFenceIsLongerThanAnyBacktickRun) {
  EXPECT_EQ(code_span("plain"), "`plain`");
  EXPECT_EQ(code_span("a`b"), "``a`b``");
  EXPECT_EQ(code_span("`x`"), "`` `x` ``");
  EXPECT_EQ(code_span("two\nlines"), "`two lines`");
}

TEST(Markdown, TableCellEscapesPipes) {
  EXPECT_EQ(table_cell("`a|b`"), "`a\\|b`");
  EXPECT_EQ(table_cell("x\ny"), "x y");
}

TEST(Markdown, TextIsInert) {
  EXPECT_EQ(markdown_text("*a* _b_ [c](d) <e> |f| #g @h"),
            "\\*a\\* \\_b\\_ \\[c\\](d) \\<e\\> \\|f\\| \\#g @\u200Bh");
}

TEST(Markdown, CodeBlockFenceOutgrowsTheContent) {
  EXPECT_EQ(code_block("x", "sh"), "```sh\nx\n```\n");
  EXPECT_EQ(code_block("a\n````\nb\n"), "`````\na\n````\nb\n`````\n");
}

TEST(Markdown, ShellQuoteOnlyWhenNeeded) {
  EXPECT_EQ(shell_quote("baselines/x.json"), "baselines/x.json");
  EXPECT_EQ(shell_quote("my results.json"), "'my results.json'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
}

TEST(Markdown, TruncateKeepsShortTextAsIs) {
  EXPECT_EQ(truncate_markdown("short\n", 100, "FOOTER"), "short\n");
}

TEST(Markdown, TruncateClosesFenceAndDetails) {
  const std::string text =
      "head\n<details>\n<summary>s</summary>\n\n```\nline1\nline2\nline3\n```\n"
      "</details>\ntail\n";
  const std::string out = truncate_markdown(text, 72, "[cut]\n");
  EXPECT_LE(out.size(), 72u);
  EXPECT_EQ(out.substr(out.size() - 6), "[cut]\n");
  // The fence and the details opened before the cut are closed before the footer.
  EXPECT_EQ(out, "head\n<details>\n<summary>s</summary>\n\n```\nline1\n```\n\n</details>\n[cut]\n");
}

TEST(Markdown, TruncateNeverSplitsUtf8) {
  const std::string text = std::string(10, 'a') + "ééééééééé";  // no newline at all
  for (std::size_t limit = 8; limit < text.size(); ++limit) {
    const std::string out = truncate_markdown(text, limit, "!");
    EXPECT_LE(out.size(), limit);
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto c = static_cast<unsigned char>(out[i]);
      if (c == 0xC3) {
        ASSERT_LT(i + 1, out.size());
      }
    }
  }
  EXPECT_EQ(truncate_utf8("éé", 3), "...");
  EXPECT_EQ(truncate_utf8("abcdef", 5), "ab...");
}

}  // namespace
}  // namespace gilguard::report
