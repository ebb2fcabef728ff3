#include "gilguard/baseline/facts_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace gilguard::baseline {
namespace {

InterpreterFacts sample_facts() {
  InterpreterFacts facts;
  facts.path = "python3.13t";
  facts.executable = "/opt/py/bin/python3.13t";
  facts.version = "3.13.5";
  facts.implementation = "cpython";
  facts.gil_disabled_build = true;
  facts.gil_enabled_at_start = false;
  facts.config_args = "'--disable-gil'";
  facts.platform = "linux-x86_64";
  facts.logical_cpus = 4;
  facts.usable_cpus = 2;
  return facts;
}

TEST(FactsCodec, RoundTripsEveryField) {
  const auto facts = sample_facts();
  const auto json = to_json(facts);
  EXPECT_EQ(json.at("flavor").as_string(), "ft");
  const auto back = facts_from_json(json);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->path, facts.path);
  EXPECT_EQ(back->executable, facts.executable);
  EXPECT_EQ(back->version, facts.version);
  EXPECT_EQ(back->implementation, facts.implementation);
  EXPECT_TRUE(back->gil_disabled_build);
  EXPECT_EQ(back->gil_enabled_at_start, std::optional<bool>(false));
  EXPECT_EQ(back->config_args, facts.config_args);
  EXPECT_EQ(back->platform, facts.platform);
  EXPECT_EQ(back->logical_cpus, 4);
  EXPECT_EQ(back->usable_cpus, 2);
}

TEST(FactsCodec, NullGilStateStaysUnknown) {
  auto facts = sample_facts();
  facts.gil_enabled_at_start.reset();
  const auto json = to_json(facts);
  EXPECT_TRUE(json.at("gil_enabled_at_start").is_null());
  const auto back = facts_from_json(json);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->gil_enabled_at_start.has_value());
}

TEST(FactsCodec, NamesMissingAndMistypedKeys) {
  auto json = to_json(sample_facts());
  json.erase("version");
  const auto missing = facts_from_json(json);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "interpreter facts: missing key \"version\"");

  json = to_json(sample_facts());
  json["usable_cpus"] = "two";
  const auto mistyped = facts_from_json(json);
  ASSERT_FALSE(mistyped);
  EXPECT_EQ(mistyped.error().message,
            "interpreter facts: key \"usable_cpus\": expected a whole number");

  json = to_json(sample_facts());
  json["logical_cpus"] = -1;
  EXPECT_FALSE(facts_from_json(json));
}

TEST(FactsCodec, RejectsTextThatIsNotJson) {
  const auto result = facts_from_json_text("hello");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("not valid JSON"), std::string::npos);
  EXPECT_FALSE(facts_from_json_text("[1, 2]"));
}

TEST(FactsCodec, ListIsAJsonArrayOfObjects) {
  const auto text = facts_list_to_json_text({sample_facts(), sample_facts()});
  const auto parsed = boost::json::parse(text);
  ASSERT_TRUE(parsed.is_array());
  ASSERT_EQ(parsed.as_array().size(), 2u);
  EXPECT_TRUE(facts_from_json(parsed.as_array()[1]));
  EXPECT_EQ(facts_list_to_json_text({}), "[]\n");
}

}  // namespace
}  // namespace gilguard::baseline
