#pragma once

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

namespace gilguard::test {

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

// Reads a whole file; throws when it cannot.
std::string read_file(const std::filesystem::path& path);

// Writes a whole file, creating parent directories.
void write_file(const std::filesystem::path& path, const std::string& text);

// The built gilguard binary under test.
std::filesystem::path gilguard_binary();

// tests/data in the source tree.
std::filesystem::path data_dir();

// The two real interpreters under test, from GILGUARD_TEST_PYTHON_GIL / GILGUARD_TEST_PYTHON_FT.
struct Interpreters {
  std::filesystem::path gil;
  std::filesystem::path ft;
};

// The interpreters, or nullopt when the variables are unset (callers then GTEST_SKIP, see
// REQUIRE_INTERPRETERS). Under CI (CI set) missing interpreters are a test failure instead.
std::optional<Interpreters> find_test_interpreters();

}  // namespace gilguard::test

// Declares `interpreters` in a TEST body, or skips (fails under CI) when they are not available.
#define REQUIRE_INTERPRETERS(interpreters)                                                  \
  const auto interpreters##_found = ::gilguard::test::find_test_interpreters();             \
  if (!interpreters##_found) {                                                              \
    if (std::getenv("CI") != nullptr) {                                                     \
      FAIL() << "GILGUARD_TEST_PYTHON_GIL / GILGUARD_TEST_PYTHON_FT are not set under CI";  \
    }                                                                                       \
    GTEST_SKIP() << "set GILGUARD_TEST_PYTHON_GIL and GILGUARD_TEST_PYTHON_FT to run this"; \
  }                                                                                         \
  const auto& interpreters = *interpreters##_found

namespace gilguard::test {}  // namespace gilguard::test
