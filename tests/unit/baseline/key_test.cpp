#include "gilguard/baseline/key.hpp"

#include <gtest/gtest.h>

namespace gilguard::baseline {
namespace {

RunResult result_on(std::string os, std::string arch, int cpus, std::string gil_version,
                    std::string ft_version, std::int64_t range) {
  RunResult result;
  result.machine.os = std::move(os);
  result.machine.arch = std::move(arch);
  result.machine.usable_cpus = cpus;
  result.gil.version = std::move(gil_version);
  result.ft.version = std::move(ft_version);
  result.parameters.workload = "primes";
  result.parameters.range = range;
  return result;
}

TEST(BaselineKey, NamesOsArchCpusPythonAndWorkload) {
  EXPECT_EQ(derive_key(result_on("linux", "x86_64", 2, "3.13.5", "3.13.5", 1'000'000)),
            "linux-x86_64-cpu2-py3.13-primes-r1000000");
  EXPECT_EQ(derive_key(result_on("darwin", "arm64", 8, "3.14.0rc1", "3.14.0", 500)),
            "darwin-arm64-cpu8-py3.14-primes-r500");
}

TEST(BaselineKey, AnAbRunsKeyNamesTheBaseVersionsToo) {
  RunResult result = result_on("linux", "x86_64", 2, "3.14.7", "3.14.7", 30000);
  result.base_gil = InterpreterFacts{};
  result.base_ft = InterpreterFacts{};
  result.base_gil->version = "3.13.5";
  result.base_ft->version = "3.13.5";
  EXPECT_EQ(derive_key(result), "linux-x86_64-cpu2-py3.14-primes-r30000-base-py3.13");
  result.base_ft->version = "3.14.0";
  EXPECT_EQ(derive_key(result), "linux-x86_64-cpu2-py3.14-primes-r30000-base-py3.13-3.14t");
  // A long workload label is cut so the key stays valid and still ends with the base.
  result.parameters.workload = "file:" + std::string(200, 'w') + ".py:f";
  const auto key = derive_key(result);
  EXPECT_LE(key.size(), k_max_key_length);
  EXPECT_TRUE(key.ends_with("-base-py3.13-3.14t"));
  EXPECT_TRUE(validate_key(key));
}

TEST(BaselineKey, DifferentPythonsAreBothNamed) {
  EXPECT_EQ(derive_key(result_on("linux", "x86_64", 4, "3.13.5", "3.14.0", 1000)),
            "linux-x86_64-cpu4-py3.13-3.14t-primes-r1000");
}

TEST(BaselineKey, UnsafeCharactersAreReplacedAndTheResultIsValid) {
  auto result = result_on("Linux/GNU", "x86 64", 2, "3.13.5", "3.13.5", 1000);
  result.parameters.workload = "my-load";
  const std::string key = derive_key(result);
  EXPECT_EQ(key, "linux_gnu-x86_64-cpu2-py3.13-my_load-r1000");
  EXPECT_TRUE(validate_key(key).has_value());
}

// A workload's key holds its label; a range sized in the warm-up differs between machines, so
// the key says "rauto" and the next run on another machine of the class finds the same file.
TEST(BaselineKey, WorkloadsAreNamedByLabelAndASizedRangeIsAuto) {
  auto result = result_on("linux", "x86_64", 2, "3.13.5", "3.13.5", 65'536);
  result.parameters.workload = "builtin:dict-mutation";
  result.parameters.range_sized = true;
  EXPECT_EQ(derive_key(result), "linux-x86_64-cpu2-py3.13-builtin_dict_mutation-rauto");
  result.parameters.range = 131'072;  // another machine sized another range
  EXPECT_EQ(derive_key(result), "linux-x86_64-cpu2-py3.13-builtin_dict_mutation-rauto");
  result.parameters.workload = "file:bench_parse.py:parse_one";
  result.parameters.range_sized = false;
  const auto key = derive_key(result);
  EXPECT_EQ(key, "linux-x86_64-cpu2-py3.13-file_bench_parse.py_parse_one-r131072");
  EXPECT_TRUE(validate_key(key).has_value());
}

// Issue 21, item 4: a file workload's label holds its path in its repository, so two files of one
// name in two folders have two keys; a path too long for a key keeps two keys apart by a digest.
TEST(BaselineKey, FilesInTwoFoldersAndLongPathsMakeTwoKeys) {
  auto result = result_on("linux", "x86_64", 2, "3.13.5", "3.13.5", 4096);
  result.parameters.workload = "file:a/w.py:workload";
  EXPECT_EQ(derive_key(result), "linux-x86_64-cpu2-py3.13-file_a_w.py_workload-r4096");
  result.parameters.workload = "file:b/w.py:workload";
  EXPECT_EQ(derive_key(result), "linux-x86_64-cpu2-py3.13-file_b_w.py_workload-r4096");

  const std::string deep = "file:" + std::string(120, 'd') + "/";
  result.parameters.workload = deep + "one.py:workload";
  const auto one = derive_key(result);
  result.parameters.workload = deep + "two.py:workload";
  const auto two = derive_key(result);
  EXPECT_NE(one, two);
  for (const auto& key : {one, two}) {
    EXPECT_EQ(key.size(), k_max_key_length);
    EXPECT_TRUE(key.ends_with("-r4096")) << key;
    EXPECT_TRUE(validate_key(key)) << key;
  }
}

TEST(BaselineKey, EmptyPartsBecomeUnknown) {
  const std::string key = derive_key(result_on("", "", 1, "", "", 10));
  EXPECT_EQ(key, "unknown-unknown-cpu1-pyunknown-primes-r10");
  EXPECT_TRUE(validate_key(key).has_value());
}

TEST(BaselineKey, ValidKeysPass) {
  EXPECT_TRUE(validate_key("ubuntu-24.04_4cpu").has_value());
  EXPECT_TRUE(validate_key("a").has_value());
  EXPECT_TRUE(validate_key(std::string(128, 'k')).has_value());
}

TEST(BaselineKey, InvalidKeysSayWhatIsAllowed) {
  const std::string rules =
      "a baseline key names the file <key>.json, so it must be 1 to 128 characters from A-Z a-z "
      "0-9 '.' '_' '-' and start with a letter or digit";
  auto slash = validate_key("runner/label");
  ASSERT_FALSE(slash.has_value());
  EXPECT_EQ(slash.error().message,
            "'runner/label' has a character that is not allowed at position 7; " + rules);
  auto dots = validate_key("..");
  ASSERT_FALSE(dots.has_value());
  EXPECT_EQ(dots.error().message, "'..' does not start with a letter or digit; " + rules);
  auto empty = validate_key("");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().message, "the key is empty; " + rules);
  auto long_key = validate_key(std::string(129, 'k'));
  ASSERT_FALSE(long_key.has_value());
  EXPECT_EQ(long_key.error().message, "the key is 129 characters long; " + rules);
  EXPECT_FALSE(validate_key("a b").has_value());
  EXPECT_FALSE(validate_key("-dash").has_value());
}

}  // namespace
}  // namespace gilguard::baseline
