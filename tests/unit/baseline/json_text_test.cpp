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
  EXPECT_EQ(bad.error().message, "line 3, column 8: syntax error");
}

TEST(JsonText, MissingCommaIsFoundWhereItHappens) {
  auto bad = parse_json("{\"a\": 1\n \"b\": 2}");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message.substr(0, 18), "line 2, column 2: ");
}

TEST(JsonText, TruncatedDocumentPointsAtTheEnd) {
  auto bad = parse_json("{\"a\": [1, 2");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message, "line 1, column 12: the text ends before the JSON document does");
}

TEST(JsonText, TextAfterTheDocumentIsAnError) {
  auto bad = parse_json("{\"a\": 1}\n\nx");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "line 3, column 1: unexpected text after the end of the JSON document");
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
