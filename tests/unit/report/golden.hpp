#pragma once

// Golden-file comparison for the renderers: tests/data/expected/<name>, byte for byte.
// GILGUARD_UPDATE_GOLDEN=1 rewrites the files instead (then review the diff before committing).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/test_util.hpp"

namespace gilguard::test {

inline void expect_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path path = data_dir() / "expected" / name;
  const char* update = std::getenv("GILGUARD_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    write_file(path, actual);
    return;
  }
  if (!std::filesystem::exists(path)) {
    ADD_FAILURE() << path << " does not exist; run the test with GILGUARD_UPDATE_GOLDEN=1 to "
                  << "create it, then review it";
    return;
  }
  const std::string expected = read_file(path);
  EXPECT_EQ(expected, actual) << "rendering differs from " << path
                              << "; if the change is intended, rerun with "
                                 "GILGUARD_UPDATE_GOLDEN=1 and review the diff";
}

}  // namespace gilguard::test
