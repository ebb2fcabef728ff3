#include "gilguard/util/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gilguard::util {
namespace {

TEST(Utf8, ValidTextIsKept) {
  for (const std::string& text : std::vector<std::string>{
           "", "plain ascii", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
           std::string("nul\0inside", 10)}) {
    EXPECT_TRUE(is_valid_utf8(text)) << text;
    EXPECT_EQ(valid_utf8(text), text);
  }
}

// Each maximal ill-formed subpart becomes one U+FFFD (Unicode, chapter 3, Table 3-8).
TEST(Utf8, EachIllFormedPartBecomesOneReplacementCharacter) {
  const std::string r = "\xef\xbf\xbd";
  struct Case {
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"\xff", r},                          // never a UTF-8 byte
      {"\x80", r},                          // a stray continuation byte
      {"a\xc3", "a" + r},                   // truncated at the end
      {"\xc3(", r + "("},                   // truncated by the next character
      {"\xc0\xaf", r + r},                  // overlong (C0 is never valid)
      {"\xe0\x80\xaf", r + r + r},          // overlong three-byte form
      {"\xed\xa0\x80", r + r + r},          // a surrogate
      {"\xf4\x90\x80\x80", r + r + r + r},  // past U+10FFFF
      {"\xe2\x82", r},                      // one subpart of two bytes
      {"\xf0\x9f\x98", r},                  // one subpart of three bytes
      {"\x61\xf1\x80\x80\xe1\x80\xc2\x62", "a" + r + r + r + "b"},  // Table 3-8's example
  };
  for (const auto& c : cases) {
    EXPECT_FALSE(is_valid_utf8(c.in)) << c.in;
    EXPECT_EQ(valid_utf8(c.in), c.out) << c.in;
    EXPECT_TRUE(is_valid_utf8(valid_utf8(c.in)));
  }
}

}  // namespace
}  // namespace gilguard::util
