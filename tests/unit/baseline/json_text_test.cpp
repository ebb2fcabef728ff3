#include "gilguard/baseline/json_text.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace gilguard::baseline {
namespace {

TEST(JsonText, PositionCountsLinesAndCharacters) {
  const std::string text = "ab\ncd\u00e9f\n";
  EXPECT_EQ(position_of(text, 0).line, 1);
  EXPECT_EQ(position_of(text, 0).column, 1);
  EXPECT_EQ(position_of(text, 3).line, 2);
  EXPECT_EQ(position_of(text, 3).column, 1);
  // "é" is two bytes but one column.
  EXPECT_EQ(position_of(text, 7).column, 4);
  EXPECT_EQ(position_of(text, 1000).line, 3);
}

TEST(JsonText, SyntaxErrorNamesLineAndColumn) {
  auto bad = parse_json("{\n  \"a\": 1,\n  \"b\": tru\n}\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "line 3, column 8: 'tru' is not a JSON value: JSON's words are true, false and "
            "null, and strings are in double quotes");
}

TEST(JsonText, MissingCommaIsFoundWhereItHappens) {
  auto bad = parse_json("{\"a\": 1\n \"b\": 2}");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message.substr(0, 18), "line 2, column 2: ");
}

TEST(JsonText, TruncatedDocumentPointsAtTheEnd) {
  auto bad = parse_json("{\"a\": [1, 2");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "line 1, column 12: the text ends before the JSON document does: the file was cut "
            "short; write it again");
}

TEST(JsonText, TextAfterTheDocumentIsAnError) {
  auto bad = parse_json("{\"a\": 1}\n\nx");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "line 3, column 1: unexpected text after the end of the JSON document: a file holds "
            "one document; remove what follows it");
}

// Issue 12, item 11: each says what is wrong, where, and the fix, not only "syntax error".
TEST(JsonText, AByteOrderMarkIsNamed) {
  auto bad = parse_json("\xEF\xBB\xBF{\"a\": 1}");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "line 1, column 1: the text starts with a UTF-8 byte order mark (bytes EF BB BF), "
            "which JSON does not allow (RFC 8259, section 8.1): save the file as UTF-8 without it");
}

TEST(JsonText, InvalidUtf8IsNamedWithItsByteOffset) {
  auto bad = parse_json("{\n  \"name\": \"caf\xE9\"\n}");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "line 2, column 15 (byte offset 16): invalid UTF-8 (byte 0xE9); JSON text must be "
            "UTF-8: save the file as UTF-8");
  // Overlong forms and surrogates are not UTF-8 either.
  for (const auto* text : {"[\"\xC0\xAF\"]", "[\"\xED\xA0\x80\"]", "[\"\xF4\x90\x80\x80\"]"}) {
    auto refused = parse_json(text);
    ASSERT_FALSE(refused.has_value()) << text;
    EXPECT_NE(refused.error().message.find("invalid UTF-8"), std::string::npos)
        << refused.error().message;
  }
  EXPECT_TRUE(parse_json("[\"caf\xC3\xA9 \xF0\x9F\x90\x8D\"]").has_value());
}

TEST(JsonText, NanAndInfinityAreNamed) {
  auto nan = parse_json("{\"t_seq\": NaN}");
  ASSERT_FALSE(nan.has_value());
  EXPECT_EQ(nan.error().message,
            "line 1, column 11: NaN is not a JSON value (JSON has no NaN or infinity; Python's "
            "json module writes them for float('nan') and float('inf')): write null or a number "
            "instead");
  auto infinity = parse_json("[1, -Infinity]");
  ASSERT_FALSE(infinity.has_value());
  EXPECT_NE(infinity.error().message.find("line 1, column 6: -Infinity is not a JSON value"),
            std::string::npos)
      << infinity.error().message;
}

TEST(JsonText, HandEditsAreNamed) {
  const auto message = [](std::string_view text) {
    auto bad = parse_json(text);
    return bad ? std::string("parsed") : bad.error().message;
  };
  EXPECT_EQ(message("{\"a\": 1,\n}"),
            "line 2, column 1: a comma before '}', which JSON does not allow: remove the comma");
  EXPECT_EQ(message("{\"a\": 1 // one\n}"),
            "line 1, column 9: a comment, which JSON does not allow: remove it");
  EXPECT_EQ(message("{'a': 1}"),
            "line 1, column 2: a single quote: JSON strings and keys are in double quotes (\")");
  EXPECT_EQ(message("[1 2]"), "line 1, column 4: a ',' is missing before '2'");
  EXPECT_EQ(message("{\"a\": \"x\ty\"}"),
            "line 1, column 9: a raw control character (U+0009) in a string: write it as an "
            "escape (\\n, \\t or \\u0009)");
  EXPECT_EQ(message(" \n"), "the text is empty: there is no JSON document in it");
}

TEST(JsonText, PrettyPrintIsStableAndReadable) {
  boost::json::value value = {{"schema_version", 1},
                              {"name", "x\"y"},
                              {"values", {1.5, 2.0, 0.1}},
                              {"empty", boost::json::array()},
                              {"nested", {{"ok", true}, {"none", nullptr}}}};
  const std::string text = to_pretty_json(value);
  EXPECT_EQ(text,
            "{\n"
            "  \"schema_version\": 1,\n"
            "  \"name\": \"x\\\"y\",\n"
            "  \"values\": [1.5, 2.0, 0.1],\n"
            "  \"empty\": [],\n"
            "  \"nested\": {\n"
            "    \"ok\": true,\n"
            "    \"none\": null\n"
            "  }\n"
            "}\n");
  auto back = parse_json(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, value);
}

TEST(JsonText, DoublesRoundTripExactly) {
  for (const double value :
       {1.0 / 3.0, 1.0143161375279939, 0.20058061399959115, 2.0, 1e-20, -7.25e300}) {
    const std::string text = to_pretty_json(boost::json::value(value));
    auto back = parse_json(text);
    ASSERT_TRUE(back.has_value()) << text;
    ASSERT_TRUE(back->is_double()) << text;
    EXPECT_EQ(back->get_double(), value) << text;
    EXPECT_EQ(to_pretty_json(*back), text);
  }
  EXPECT_EQ(to_pretty_json(boost::json::value(2.0)), "2.0\n");
  EXPECT_EQ(to_pretty_json(boost::json::value(1.0143161375279939)), "1.0143161375279939\n");
}

// Boost.JSON 1.81's own parser reads these shortest forms one ulp off; parse_json must not.
TEST(JsonText, ParsesDoublesWithCorrectRounding) {
  const std::string text = "[1.0143161375279939, 2.0114900694801934, 1.1170574332549479]";
  auto back = parse_json(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->at(0).get_double(), 1.0143161375279939);
  EXPECT_EQ(back->at(1).get_double(), 2.0114900694801934);
  EXPECT_EQ(back->at(2).get_double(), 1.1170574332549479);
}

}  // namespace
}  // namespace gilguard::baseline
