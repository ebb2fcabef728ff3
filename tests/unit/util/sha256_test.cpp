#include "gilguard/util/sha256.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/test_util.hpp"

namespace gilguard::util {
namespace {

// Test vectors from FIPS 180-2, appendix B.
TEST(Sha256, MatchesPublishedVectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, IncrementalEqualsOneShotAndFile) {
  test::TempDir dir;
  const std::string text(200'000, 'x');
  test::write_file(dir.path() / "f", text);
  Sha256 hash;
  hash.update(text.substr(0, 1234));
  hash.update(text.substr(1234));
  const auto file = sha256_file(dir.path() / "f");
  ASSERT_TRUE(file);
  EXPECT_EQ(hash.hex_digest(), sha256_hex(text));
  EXPECT_EQ(*file, sha256_hex(text));
}

TEST(Sha256, MissingFileIsAnError) {
  test::TempDir dir;
  const auto result = sha256_file(dir.path() / "nope");
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("cannot read"), std::string::npos);
}

// A FIFO would block the digest until a writer came; a device would never end.
TEST(Sha256, AFifoOrADeviceIsRefusedAtOnce) {
  test::TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path() / "fifo").c_str(), 0600), 0);
  for (const auto& path : {dir.path() / "fifo", std::filesystem::path("/dev/zero")}) {
    const auto result = sha256_file(path);
    ASSERT_FALSE(result) << path;
    EXPECT_EQ(result.error().message, "cannot digest " + path.string() +
                                          ": it is not a regular file; pass the file itself");
  }
}

}  // namespace
}  // namespace gilguard::util
