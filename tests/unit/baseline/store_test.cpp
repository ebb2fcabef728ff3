#include "gilguard/baseline/store.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <limits>

#include "gilguard/baseline/codec.hpp"
#include "support/test_util.hpp"
#include "unit/baseline/baseline_samples.hpp"

namespace gilguard::baseline {
namespace {

namespace fs = std::filesystem;

// Names of the files in dir, hidden ones included.
std::vector<std::string> file_names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(BaselineStore, SaveThenLoadRoundTrips) {
  test::TempDir dir;
  const Baseline baseline = testdata::sample_baseline(2);
  auto path = save(dir.path() / "baselines", baseline);
  ASSERT_TRUE(path.has_value()) << path.error().message;
  EXPECT_EQ(*path, dir.path() / "baselines" / (std::string(testdata::k_key) + ".json"));
  EXPECT_EQ(test::read_file(*path), to_json_text(baseline));

  auto loaded = load(dir.path() / "baselines", testdata::k_key);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ(to_json_text(**loaded), to_json_text(baseline));
  EXPECT_EQ(file_names(dir.path() / "baselines"),
            std::vector<std::string>{std::string(testdata::k_key) + ".json"});
}

TEST(BaselineStore, MissingBaselineIsNotAnError) {
  test::TempDir dir;
  auto loaded = load(dir.path() / "nowhere", "some-key");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_FALSE(loaded->has_value());
}

TEST(BaselineStore, CorruptFileNamesPathLineAndColumn) {
  test::TempDir dir;
  const fs::path file = dir.path() / "k.json";
  const std::string text = "{\n  \"schema_version\": 1,\n  \"key\": \"k\"\n  \"runs\": []\n}\n";
  test::write_file(file, text);
  auto loaded = load(dir.path(), "k");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message,
            "baseline file " + file.string() +
                ": line 4, column 3: a ',' (or, after a key, a ':') is missing before '\"'");
  EXPECT_EQ(test::read_file(file), text);
}

TEST(BaselineStore, MissingFieldNamesFileAndPath) {
  test::TempDir dir;
  Baseline baseline = testdata::sample_baseline(3);
  auto path = save(dir.path(), baseline);
  ASSERT_TRUE(path.has_value());
  std::string text = test::read_file(*path);
  // Drop runs[2]'s ft-speedup-2 "low" line.
  std::size_t at = 0;
  for (int i = 0; i < 3; ++i) at = text.find("\"ft-speedup-2\"", at + 1);
  const auto low = text.find("\"low\"", at);
  text.erase(low, text.find('\n', low) - low + 1);
  test::write_file(*path, text);
  auto loaded = load(dir.path(), testdata::k_key);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message,
            "baseline file " + path->string() + ": runs[2].metrics.ft-speedup-2.low: missing");
}

TEST(BaselineStore, UnknownSchemaVersionNamesFile) {
  test::TempDir dir;
  const fs::path file = dir.path() / "k.json";
  test::write_file(file, "{\"schema_version\": 7, \"key\": \"k\"}");
  auto loaded = load(dir.path(), "k");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message,
            "baseline file " + file.string() +
                ": schema_version: unsupported version 7; this gilguard reads schema_version 1 "
                "to 2. Use the gilguard release that wrote the file, or replace it with "
                "'gilguard baseline update RESULTS --reset'");
}

TEST(BaselineStore, FileForAnotherKey) {
  test::TempDir dir;
  Baseline baseline = testdata::sample_baseline(1);
  auto path = save(dir.path(), baseline);
  ASSERT_TRUE(path.has_value());
  fs::rename(*path, dir.path() / "runner-label.json");
  auto loaded = load(dir.path(), "runner-label");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message,
            "baseline file " + (dir.path() / "runner-label.json").string() +
                ": its \"key\" is 'linux-x86_64-cpu2-py3.13-primes-r1000000', but the file name "
                "says 'runner-label'. Rename the file to "
                "linux-x86_64-cpu2-py3.13-primes-r1000000.json, or correct its \"key\" field");
}

TEST(BaselineStore, ListSortsByKeyAndSkipsHiddenFiles) {
  test::TempDir dir;
  Baseline b = testdata::sample_baseline(1);
  b.key = "zeta";
  ASSERT_TRUE(save(dir.path(), b).has_value());
  b.key = "alpha";
  ASSERT_TRUE(save(dir.path(), b).has_value());
  test::write_file(dir.path() / ".alpha.json.tmp-abc123", "{half a fi");
  test::write_file(dir.path() / "README.md", "not a baseline");
  auto all = list(dir.path());
  ASSERT_TRUE(all.has_value()) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].key, "alpha");
  EXPECT_EQ((*all)[1].key, "zeta");

  auto none = list(dir.path() / "missing");
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

TEST(BaselineStore, ListReportsABadFile) {
  test::TempDir dir;
  test::write_file(dir.path() / "bad.json", "[");
  auto all = list(dir.path());
  ASSERT_FALSE(all.has_value());
  EXPECT_EQ(all.error().message, "baseline file " + (dir.path() / "bad.json").string() +
                                     ": line 1, column 2: the text ends before the JSON "
                                     "document does: the file was cut short; write it again");
}

TEST(BaselineStore, InvalidKeyIsRefused) {
  test::TempDir dir;
  Baseline b = testdata::sample_baseline(1);
  b.key = "../outside";
  EXPECT_FALSE(save(dir.path(), b).has_value());
  EXPECT_FALSE(load(dir.path(), "../outside").has_value());
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

// A baseline far bigger than the old one, so the write is cut off partway.
Baseline big_baseline() {
  Baseline b = testdata::sample_baseline(10);
  for (auto& run : b.runs) run.summary.provenance.cpu_model = std::string(4096, 'x');
  return b;
}

// In a death test's child: saves big_baseline() with files limited to 1000 bytes. With SIGXFSZ
// at its default the process dies mid-write; ignored, the write fails with EFBIG and the child
// prints the error and exits 3.
void save_with_file_size_limit(const fs::path& dir, void (*on_sigxfsz)(int)) {
  std::signal(SIGXFSZ, on_sigxfsz);
  const rlimit limit{1000, 1000};
  ::setrlimit(RLIMIT_FSIZE, &limit);
  auto saved = save(dir, big_baseline());
  if (saved) std::_Exit(1);
  std::fprintf(stderr, "%s\n", saved.error().message.c_str());
  std::_Exit(3);
}

// "No baseline yet" is only for a readable directory without a file for the key; a --baselines
// that points at a regular file or a symlink loop is an error that says what to fix.
TEST(BaselineStore, BaselinesPathThatIsAFileIsAnError) {
  test::TempDir dir;
  const fs::path file = dir.path() / "baselines";
  test::write_file(file, "not a directory\n");
  auto loaded = load(file, testdata::k_key);
  ASSERT_FALSE(loaded.has_value()) << "read as: no baseline yet";
  EXPECT_EQ(loaded.error().message,
            "the baselines directory " + file.string() +
                " is not a directory; point --baselines at a readable directory of baseline files "
                "(one <key>.json per runner class)");
  auto all = list(file);
  ASSERT_FALSE(all.has_value());
  EXPECT_EQ(all.error().message, loaded.error().message);
  // A path through the file fails too, rather than reading as a missing directory.
  auto below = load(file / "sub", testdata::k_key);
  ASSERT_FALSE(below.has_value());
  EXPECT_NE(below.error().message.find("Not a directory"), std::string::npos)
      << below.error().message;
}

TEST(BaselineStore, SymlinkLoopIsAnError) {
  test::TempDir dir;
  fs::create_directory_symlink(dir.path() / "b", dir.path() / "a");
  fs::create_directory_symlink(dir.path() / "a", dir.path() / "b");
  auto loaded = load(dir.path() / "a", testdata::k_key);
  ASSERT_FALSE(loaded.has_value()) << "read as: no baseline yet";
  EXPECT_EQ(loaded.error().message,
            "the baselines directory " + (dir.path() / "a").string() +
                ": Too many levels of symbolic links; point --baselines at a readable directory "
                "of baseline files (one <key>.json per runner class)");
  EXPECT_FALSE(list(dir.path() / "a").has_value());

  // The file for the key itself in a loop.
  fs::create_directory(dir.path() / "baselines");
  const fs::path file = dir.path() / "baselines" / (std::string(testdata::k_key) + ".json");
  fs::create_symlink(file, file);
  loaded = load(dir.path() / "baselines", testdata::k_key);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message.rfind(
                "baseline file " + file.string() + ": Too many levels of symbolic links; ", 0),
            0u)
      << loaded.error().message;

  // A dangling symlink for the directory is not "nothing recorded yet" either.
  fs::create_directory_symlink(dir.path() / "gone", dir.path() / "dangling");
  loaded = load(dir.path() / "dangling", testdata::k_key);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().message.find("is a symbolic link to"), std::string::npos)
      << loaded.error().message;
}

// Loads `dir` as an unprivileged user (root reads any directory) and exits 3 with the message
// when it fails, 0 when it reads as "no baseline".
[[noreturn]] void load_as_nobody(const fs::path& dir) {
  if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) std::_Exit(4);
  auto loaded = load(dir, testdata::k_key);
  if (loaded) std::_Exit(0);
  std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
  std::_Exit(3);
}

TEST(BaselineStoreDeathTest, UnreadableDirectoryIsAnError) {
  // "fast": the child is a fork sharing this test's temporary directory.
  GTEST_FLAG_SET(death_test_style, "fast");
  test::TempDir dir;
  fs::permissions(dir.path(),
                  fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  const fs::path baselines = dir.path() / "baselines";
  fs::create_directory(baselines);
  // Searchable but not readable: a stat of <key>.json says "not found", listing is refused.
  fs::permissions(baselines,
                  fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec);
  EXPECT_EXIT(load_as_nobody(baselines), testing::ExitedWithCode(3),
              "cannot read the baselines directory .*/baselines: Permission denied; point "
              "--baselines at a readable directory");
  // Neither readable nor searchable.
  fs::permissions(baselines, fs::perms::none);
  EXPECT_EXIT(load_as_nobody(baselines), testing::ExitedWithCode(3), "Permission denied");
  fs::permissions(baselines, fs::perms::owner_all);
}

// The loader's rules hold before writing: a baseline that would not load back is not written.
TEST(BaselineStore, SaveRefusesWhatTheLoaderWouldReject) {
  test::TempDir dir;
  auto path = save(dir.path(), testdata::sample_baseline(1));
  ASSERT_TRUE(path.has_value()) << path.error().message;
  const std::string before = test::read_file(*path);

  Baseline poisoned = testdata::sample_baseline(2);
  poisoned.runs[1].summary.metrics[0].second.value = std::numeric_limits<double>::infinity();
  poisoned.runs[1].summary.metrics[0].second.high = std::numeric_limits<double>::infinity();
  auto saved = save(dir.path(), poisoned);
  ASSERT_FALSE(saved.has_value());
  EXPECT_EQ(saved.error().message.rfind(path->string() + " was not written: its new content "
                                                         "would not load back (runs[1].metrics.",
                                        0),
            0u)
      << saved.error().message;
  EXPECT_EQ(test::read_file(*path), before);

  Baseline range_zero = testdata::sample_baseline(1);
  range_zero.key = "linux-x86_64-cpu2-py3.13-primes-r0";
  range_zero.workload.range = 0;
  saved = save(dir.path(), range_zero);
  ASSERT_FALSE(saved.has_value());
  EXPECT_NE(saved.error().message.find("workload.range: 0 is out of range"), std::string::npos)
      << saved.error().message;
  EXPECT_FALSE(fs::exists(dir.path() / "linux-x86_64-cpu2-py3.13-primes-r0.json"));
}

// Simulated crash: the writer process is killed (SIGXFSZ from a file size limit) in the middle
// of writing the new baseline. The old file must be intact; at worst a hidden temporary file is
// left, which load and list ignore.
TEST(BaselineStoreDeathTest, CrashMidWriteLeavesTheOldFileIntact) {
  // "fast": the child is a fork sharing this test's temporary directory.
  GTEST_FLAG_SET(death_test_style, "fast");
  test::TempDir dir;
  const Baseline old = testdata::sample_baseline(1);
  auto path = save(dir.path(), old);
  ASSERT_TRUE(path.has_value());
  const std::string old_text = test::read_file(*path);

  EXPECT_EXIT(save_with_file_size_limit(dir.path(), SIG_DFL), testing::KilledBySignal(SIGXFSZ), "");

  EXPECT_EQ(test::read_file(*path), old_text);
  auto loaded = load(dir.path(), testdata::k_key);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->runs.size(), 1u);
  auto all = list(dir.path());
  ASSERT_TRUE(all.has_value()) << all.error().message;
  EXPECT_EQ(all->size(), 1u);
  // The crash left its partial temporary file (hidden, beside the target), nothing else.
  const auto names = file_names(dir.path());
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0].rfind("." + std::string(testdata::k_key) + ".json.tmp-", 0), 0u) << names[0];
  EXPECT_EQ(fs::file_size(dir.path() / names[0]), 1000u);
}

// A write that fails (EFBIG) without killing the process: an error, the old file intact and no
// temporary file left behind.
TEST(BaselineStoreDeathTest, FailedWriteCleansUpAndKeepsTheOldFile) {
  // "fast": the child is a fork sharing this test's temporary directory.
  GTEST_FLAG_SET(death_test_style, "fast");
  test::TempDir dir;
  auto path = save(dir.path(), testdata::sample_baseline(1));
  ASSERT_TRUE(path.has_value());
  const std::string old_text = test::read_file(*path);

  EXPECT_EXIT(save_with_file_size_limit(dir.path(), SIG_IGN), testing::ExitedWithCode(3),
              "cannot write .*\\(write failed: File too large\\)");

  EXPECT_EQ(test::read_file(*path), old_text);
  EXPECT_EQ(file_names(dir.path()), std::vector<std::string>{fs::path(*path).filename()});
}

}  // namespace
}  // namespace gilguard::baseline
