#include "gilguard/github/output_file.hpp"

#include <gtest/gtest.h>

#include "support/test_util.hpp"

namespace gilguard::github {
namespace {

TEST(Outputs, HeredocWithTheGivenDelimiter) {
  auto text = format_outputs({{"verdict", "pass"}, {"notes", "two\nlines"}},
                             [] { return std::string("DELIM"); });
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "verdict<<DELIM\npass\nDELIM\nnotes<<DELIM\ntwo\nlines\nDELIM\n");
}

TEST(Outputs, DelimiterFoundInTheValueIsDrawnAgain) {
  int calls = 0;
  auto text = format_outputs({{"x", "a\nD1\nb"}},
                             [&calls] { return std::string(++calls == 1 ? "D1" : "D2"); });
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "x<<D2\na\nD1\nb\nD2\n");
  EXPECT_EQ(calls, 2);
}

TEST(Outputs, RandomDelimitersDiffer) {
  const auto a = random_delimiter();
  const auto b = random_delimiter();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("ghadelimiter_", 0), 0u);
  EXPECT_EQ(a.size(), 13u + 32u);
}

TEST(Outputs, RejectsBadNames) {
  auto text = format_outputs({{"bad name", "x"}});
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().message,
            "'bad name' is not a valid step output name (letters, digits, '_' and '-' only)");
}

TEST(Outputs, AppendsToTheFiles) {
  test::TempDir dir;
  const auto out = dir.path() / "output";
  test::write_file(out, "earlier=1\n");
  ASSERT_TRUE(append_outputs(out, {{"verdict", "regression"}}));
  const std::string text = test::read_file(out);
  EXPECT_EQ(text.rfind("earlier=1\nverdict<<ghadelimiter_", 0), 0u) << text;
  EXPECT_EQ(text.substr(text.size() - 1), "\n");

  const auto summary = dir.path() / "summary";
  ASSERT_TRUE(append_step_summary(summary, "# one"));
  ASSERT_TRUE(append_step_summary(summary, "# two\n"));
  EXPECT_EQ(test::read_file(summary), "# one\n# two\n");
}

TEST(Outputs, UnwritablePathIsAnError) {
  auto result = append_step_summary("/nonexistent-dir/summary", "x");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "cannot open /nonexistent-dir/summary to append the step summary: No such file or "
            "directory");
}

}  // namespace
}  // namespace gilguard::github
