#include "gilguard/util/files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/test_util.hpp"

namespace gilguard::util {
namespace {

TEST(WriteFileAtomic, CreatesParentsAndWritesContent) {
  test::TempDir dir;
  const auto path = dir.path() / "a" / "b" / "out.json";
  ASSERT_TRUE(write_file_atomic(path, "{\"x\": 1}\n"));
  EXPECT_EQ(test::read_file(path), "{\"x\": 1}\n");
}

TEST(WriteFileAtomic, ReplacesExistingFileAndLeavesNoTemporaries) {
  test::TempDir dir;
  const auto path = dir.path() / "out.txt";
  test::write_file(path, "old content that is longer than the new one");
  ASSERT_TRUE(write_file_atomic(path, "new"));
  EXPECT_EQ(test::read_file(path), "new");
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path()))
    ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(WriteFileAtomic, IsReadableByOthersNotMkstempPrivate) {
  test::TempDir dir;
  const auto path = dir.path() / "perm.txt";
  ASSERT_TRUE(write_file_atomic(path, "x"));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_NE(st.st_mode & 0044, 0u);
}

TEST(WriteFileAtomic, FailsWithPathWhenDirectoryIsAFile) {
  test::TempDir dir;
  test::write_file(dir.path() / "file", "x");
  const auto result = write_file_atomic(dir.path() / "file" / "out.txt", "y");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find((dir.path() / "file").string()), std::string::npos)
      << result.error().message;
}

TEST(ReadFile, ReadsAndReportsMissingFile) {
  test::TempDir dir;
  test::write_file(dir.path() / "x", std::string("a\0b", 3));
  const auto content = read_file(dir.path() / "x");
  ASSERT_TRUE(content);
  EXPECT_EQ(*content, std::string("a\0b", 3));
  const auto missing = read_file(dir.path() / "missing");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("cannot read"), std::string::npos);
  EXPECT_NE(missing.error().message.find("missing"), std::string::npos);
}

}  // namespace
}  // namespace gilguard::util
