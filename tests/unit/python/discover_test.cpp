#include "gilguard/python/discover.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "gilguard/baseline/build_record_codec.hpp"
#include "gilguard/python/build.hpp"
#include "support/test_util.hpp"

namespace gilguard::python {
namespace {

namespace fs = std::filesystem;

fs::path fake_executable(const fs::path& path) {
  test::write_file(path, "#!/bin/sh\nexit 0\n");
  ::chmod(path.c_str(), 0755);
  return path;
}

// A finished build record in `prefix` as `gilguard build` leaves it.
fs::path fake_cached_build(const fs::path& prefix, Flavor flavor, const std::string& source,
                           const std::string& finished_at) {
  const std::string key = cache_key({source, flavor, false, {}, {}});
  const fs::path dir = prefix / build_directory_name(flavor, key);
  const fs::path interpreter = fake_executable(
      dir / "install" / "bin" / (flavor == Flavor::ft ? "python3.13t" : "python3.13"));
  baseline::BuildRecord record;
  record.flavor = flavor;
  record.key = key;
  record.source_identity = source;
  record.interpreter = interpreter.string();
  record.finished_at = finished_at;
  test::write_file(dir / "complete.json", baseline::build_record_to_json_text(record));
  return interpreter;
}

class Discover : public ::testing::Test {
 protected:
  Discover() {
    m_env["PATH"] = (m_dir.path() / "bin1").string() + ":" + (m_dir.path() / "bin2").string();
    m_env["HOME"] = (m_dir.path() / "home").string();
    m_env["XDG_CACHE_HOME"] = (m_dir.path() / "cache").string();
    fs::create_directories(m_dir.path() / "bin1");
    fs::create_directories(m_dir.path() / "bin2");
  }
  fs::path bin(int n, const std::string& name) {
    return fake_executable(m_dir.path() / ("bin" + std::to_string(n)) / name);
  }
  fs::path cache_prefix() const { return m_dir.path() / "cache" / "gilguard" / "cpython"; }
  Expected<InterpreterPair> find(std::optional<fs::path> gil = {},
                                 std::optional<fs::path> ft = {}) {
    return find_interpreters(gil, ft, m_env);
  }
  test::TempDir m_dir;
  util::Environment m_env;
};

TEST_F(Discover, OptionsComeFirst) {
  const auto gil = fake_executable(m_dir.path() / "opt" / "g");
  const auto ft = fake_executable(m_dir.path() / "opt" / "f");
  m_env["GILGUARD_PYTHON_GIL"] = bin(1, "envgil").string();
  m_env["GILGUARD_PYTHON_FT"] = bin(1, "envft").string();
  bin(1, "python3.13");
  bin(1, "python3.13t");
  const auto pair = find(gil, ft);
  ASSERT_TRUE(pair) << pair.error().message;
  EXPECT_EQ(pair->gil, gil);
  EXPECT_EQ(pair->ft, ft);
  EXPECT_EQ(pair->origin, "options");
}

TEST_F(Discover, EnvironmentVariablesBeatPathAndMixWithAnOption) {
  const auto env_gil = bin(1, "envgil");
  const auto env_ft = bin(1, "envft");
  m_env["GILGUARD_PYTHON_GIL"] = env_gil.string();
  m_env["GILGUARD_PYTHON_FT"] = env_ft.string();
  bin(1, "python3.13");
  bin(1, "python3.13t");
  auto pair = find();
  ASSERT_TRUE(pair) << pair.error().message;
  EXPECT_EQ(pair->gil, env_gil);
  EXPECT_EQ(pair->ft, env_ft);
  EXPECT_EQ(pair->origin, "environment (GILGUARD_PYTHON_GIL, GILGUARD_PYTHON_FT)");

  const auto opt_ft = fake_executable(m_dir.path() / "opt" / "f");
  pair = find(std::nullopt, opt_ft);
  ASSERT_TRUE(pair);
  EXPECT_EQ(pair->gil, env_gil);
  EXPECT_EQ(pair->ft, opt_ft);
}

TEST_F(Discover, PathPairWithTheHighestVersionHavingBoth) {
  bin(1, "python3.12");
  bin(2, "python3.12t");
  const auto gil = bin(1, "python3.13");
  const auto ft = bin(2, "python3.13t");
  bin(1, "python3.14");  // no python3.14t: not a pair
  bin(1, "python3.13-config");
  fake_cached_build(cache_prefix(), Flavor::gil, "src", "2025-01-01T00:00:00Z");
  fake_cached_build(cache_prefix(), Flavor::ft, "src", "2025-01-01T00:00:00Z");
  const auto pair = find();
  ASSERT_TRUE(pair) << pair.error().message;
  EXPECT_EQ(pair->gil, gil);
  EXPECT_EQ(pair->ft, ft);
  EXPECT_EQ(pair->origin, "PATH (python3.13, python3.13t)");
}

TEST_F(Discover, EarlierPathEntryWinsForTheSameVersion) {
  const auto first = bin(1, "python3.13");
  bin(2, "python3.13");
  bin(2, "python3.13t");
  const auto pair = find();
  ASSERT_TRUE(pair);
  EXPECT_EQ(pair->gil, first);
}

TEST_F(Discover, NewestCompleteBuildPairOfOneSourceFromTheCache) {
  fake_cached_build(cache_prefix(), Flavor::gil, "old", "2025-01-01T00:00:00Z");
  fake_cached_build(cache_prefix(), Flavor::ft, "old", "2025-01-01T00:01:00Z");
  const auto gil = fake_cached_build(cache_prefix(), Flavor::gil, "new", "2025-02-01T00:00:00Z");
  const auto ft = fake_cached_build(cache_prefix(), Flavor::ft, "new", "2025-02-01T00:05:00Z");
  // Newest of all, but without a partner of the same source.
  fake_cached_build(cache_prefix(), Flavor::gil, "lonely", "2025-03-01T00:00:00Z");
  // Unfinished: no complete.json.
  fake_executable(cache_prefix() / "ft-0000000000000000" / "install" / "bin" / "python3.13t");
  const auto pair = find();
  ASSERT_TRUE(pair) << pair.error().message;
  EXPECT_EQ(pair->gil, gil);
  EXPECT_EQ(pair->ft, ft);
  EXPECT_EQ(pair->origin, "build cache " + cache_prefix().string());
}

TEST_F(Discover, NothingFoundSaysEveryWayToProvideThem) {
  bin(1, "python3.11");
  const auto pair = find();
  ASSERT_FALSE(pair);
  const auto& message = pair.error().message;
  EXPECT_NE(message.find("PATH has python3.11 without its partner"), std::string::npos) << message;
  EXPECT_NE(message.find("--gil PATH --ft PATH"), std::string::npos) << message;
  EXPECT_NE(message.find("GILGUARD_PYTHON_GIL and GILGUARD_PYTHON_FT"), std::string::npos);
  EXPECT_NE(message.find("gilguard build --source PATH"), std::string::npos);
  EXPECT_NE(message.find(cache_prefix().string()), std::string::npos);
}

TEST_F(Discover, OnlyOneFlavourGivenIsAnError) {
  m_env["GILGUARD_PYTHON_GIL"] = bin(1, "g").string();
  const auto pair = find();
  ASSERT_FALSE(pair);
  EXPECT_NE(pair.error().message.find("GILGUARD_PYTHON_GIL gives the GIL interpreter but "
                                      "nothing gives the free-threaded one; pass --ft PATH"),
            std::string::npos)
      << pair.error().message;
}

TEST_F(Discover, MissingGivenInterpreterNamesWhereItCameFrom) {
  m_env["GILGUARD_PYTHON_FT"] = (m_dir.path() / "nope").string();
  const auto pair = find(bin(1, "g"));
  ASSERT_FALSE(pair);
  EXPECT_NE(pair.error().message.find("GILGUARD_PYTHON_FT " + (m_dir.path() / "nope").string() +
                                      ": no such executable file"),
            std::string::npos)
      << pair.error().message;
}

}  // namespace
}  // namespace gilguard::python
