#include "gilguard/util/files.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <chrono>
#include <future>

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

TEST(ReadRegularFile, ReadsAndReportsMissingFile) {
  test::TempDir dir;
  test::write_file(dir.path() / "x", std::string("a\0b", 3));
  const auto content = read_regular_file(dir.path() / "x", 3, "a test file");
  ASSERT_TRUE(content);
  EXPECT_EQ(*content, std::string("a\0b", 3));
  const auto missing = read_json_file(dir.path() / "missing");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            "cannot read " + (dir.path() / "missing").string() + ": No such file or directory");
}

// A FIFO would block the read until a writer comes (forever, in a job), so it is refused before
// any read. The read runs apart, and the test writes to the FIFO itself if the read hangs, so a
// regression fails here instead of hanging the suite.
TEST(ReadRegularFile, RefusesAFifoAtOnce) {
  test::TempDir dir;
  const auto fifo = dir.path() / "results.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reading = std::async(std::launch::async, [&] { return read_json_file(fifo); });
  if (reading.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    const int unblock = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (unblock >= 0) ::close(unblock);
    FAIL() << "reading a FIFO blocked";
  }
  const auto result = reading.get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "cannot read " + fifo.string() +
                ": it is a FIFO (named pipe), not a regular file; a JSON file must be a regular "
                "file (a FIFO could block gilguard and a device may never end): pass the path of "
                "the file itself");
}

TEST(ReadRegularFile, RefusesDevicesDirectoriesAndFilesOverTheLimit) {
  test::TempDir dir;
  const auto zero = dir.path() / "zero.json";
  std::filesystem::create_symlink("/dev/zero", zero);
  const auto device = read_json_file(zero);
  ASSERT_FALSE(device);
  EXPECT_NE(device.error().message.find(zero.string() + ": it is a character device, not a "
                                                        "regular file"),
            std::string::npos)
      << device.error().message;
  const auto folder = read_json_file(dir.path());
  ASSERT_FALSE(folder);
  EXPECT_NE(folder.error().message.find("it is a directory"), std::string::npos);

  test::write_file(dir.path() / "big.py", std::string(2048, '#'));
  const auto big = read_regular_file(dir.path() / "big.py", 1024, "a workload file");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().message, "cannot read " + (dir.path() / "big.py").string() +
                                     ": it is larger than 1 KiB, the most gilguard reads of a "
                                     "workload file; pass a smaller file");
  EXPECT_TRUE(read_regular_file(dir.path() / "big.py", 2048, "a workload file"));
}

TEST(SizeText, NamesTheUnit) {
  EXPECT_EQ(size_text(std::size_t{1} << 20), "1 MiB");
  EXPECT_EQ(size_text(k_max_json_file_bytes), "64 MiB");
  EXPECT_EQ(size_text(512 * 1024), "512 KiB");
  EXPECT_EQ(size_text(1000), "1000 bytes");
}

// A character device made for the test: /dev/null's numbers (1, 3), in the test's own directory.
std::filesystem::path make_null_device(const std::filesystem::path& dir) {
  const auto node = dir / "null";
  if (::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) return {};
  return node;
}

bool is_character_device(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

TEST(WriteOutputFile, WritesInPlaceToACharacterDevice) {
  test::TempDir dir;
  const auto node = make_null_device(dir.path());
  if (node.empty()) GTEST_SKIP() << "mknod needs root (CI runs as root)";
  ASSERT_TRUE(check_output_path(node));
  ASSERT_TRUE(write_output_file(node, "{}\n"));
  EXPECT_TRUE(is_character_device(node));
  // A symlink to the device: the device is written, the link stays. (/dev/null itself is left
  // alone: a regression here must not replace the machine's.)
  std::filesystem::create_symlink(node, dir.path() / "out.json");
  ASSERT_TRUE(write_output_file(dir.path() / "out.json", "{}\n"));
  EXPECT_TRUE(std::filesystem::is_symlink(dir.path() / "out.json"));
  EXPECT_TRUE(is_character_device(node));
}

TEST(WriteOutputFile, WritesInPlaceToAFifoWithAReader) {
  test::TempDir dir;
  const auto fifo = dir.path() / "out.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ASSERT_TRUE(check_output_path(fifo));
  // Nothing reads it yet: refused at once, not blocked.
  const auto unread = write_output_file(fifo, "x");
  ASSERT_FALSE(unread);
  EXPECT_EQ(unread.error().message, "cannot write " + fifo.string() +
                                        ": it is a FIFO (named pipe) that nothing reads; start "
                                        "its reader first, or pass the path of a regular file");
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  ASSERT_TRUE(write_output_file(fifo, "{\"a\": 1}\n"));
  char buffer[64] = {};
  const auto n = ::read(reader, buffer, sizeof buffer);
  ::close(reader);
  EXPECT_EQ(std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0), "{\"a\": 1}\n");
  struct stat st {};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST(WriteOutputFile, RefusesADirectoryAndNeverRenamesOverADevice) {
  test::TempDir dir;
  const auto refused = write_output_file(dir.path(), "x");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "cannot write " + dir.path().string() +
                                         ": it is a directory; pass the path of a file " +
                                         "(in it, say, " + (dir.path() / "gilguard.json").string() +
                                         ")");
  const auto checked = check_output_path(dir.path());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message, refused.error().message);
  // The atomic writer (baselines) refuses what is not a regular file instead of replacing it.
  const auto node = make_null_device(dir.path());
  if (node.empty()) return;
  const auto atomic = write_file_atomic(node, "x");
  ASSERT_FALSE(atomic);
  EXPECT_NE(atomic.error().message.find("it is a character device"), std::string::npos);
  EXPECT_TRUE(is_character_device(node));
}

TEST(CheckOutputPath, AcceptsNewFilesAndRefusesPathsThroughAFile) {
  test::TempDir dir;
  EXPECT_TRUE(check_output_path(dir.path() / "a" / "b" / "results.json"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "a"));  // nothing made by the check
  test::write_file(dir.path() / "file", "x");
  EXPECT_TRUE(check_output_path(dir.path() / "file"));
  const auto through = check_output_path(dir.path() / "file" / "results.json");
  ASSERT_FALSE(through);
  EXPECT_EQ(through.error().message,
            "cannot write " + (dir.path() / "file" / "results.json").string() + ": " +
                (dir.path() / "file").string() +
                " is a regular file, not a directory; pass a path in a directory");
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path()))
    ++entries;
  EXPECT_EQ(entries, 1);  // no probe file left behind
}

}  // namespace
}  // namespace gilguard::util
