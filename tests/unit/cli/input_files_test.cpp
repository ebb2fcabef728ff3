// The files a command line points gilguard at, run as the real binary (issue 21, items 4 and 6):
// FIFOs and devices where a JSON file or a workload is read, devices, FIFOs and directories where
// a result is written, and what a wrong JSON file or a wrong command says. Every run has a
// timeout, so a FIFO that blocks or a device that never ends fails the test instead of hanging.

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include "gilguard/baseline/comparison_codec.hpp"
#include "gilguard/baseline/results_codec.hpp"
#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"
#include "unit/baseline/baseline_samples.hpp"
#include "unit/report/sample_comparison.hpp"

namespace gilguard::cli {
namespace {

namespace fs = std::filesystem;

class InputFilesTest : public testing::Test {
 protected:
  // Runs `gilguard args...` in the temporary directory, for at most 10 seconds.
  util::ProcessResult gilguard(std::vector<std::string> args) {
    args.insert(args.begin(), test::gilguard_binary().string());
    util::ProcessOptions options;
    options.working_directory = m_tmp.path();
    options.timeout = std::chrono::seconds(10);
    auto result = util::run_process(args, {{"PATH", "/usr/bin:/bin"}}, options);
    EXPECT_TRUE(result.has_value());
    return result ? *result : util::ProcessResult{};
  }

  fs::path path(const std::string& name) const { return m_tmp.path() / name; }

  // A character device with /dev/null's numbers (1, 3) in the test's directory, or an empty
  // path when this process may not make one (not root).
  fs::path null_device(const std::string& name) const {
    const auto node = path(name);
    if (::mknod(node.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) return {};
    return node;
  }

  test::TempDir m_tmp;
};

bool is_character_device(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISCHR(st.st_mode);
}

constexpr const char* k_interpreter = "/bin/false";  // never reached: the options fail first

// --- reading: `gilguard report FILE` hung on a FIFO and never ended on /dev/zero ---

TEST_F(InputFilesTest, ReportOnAFifoFailsAtOnce) {
  ASSERT_EQ(::mkfifo(path("c.json").c_str(), 0600), 0);
  const auto r = gilguard({"report", "c.json"});
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: reading the comparison: cannot read c.json: it is a FIFO (named "
            "pipe), not a regular file; a JSON file must be a regular file (a FIFO could block "
            "gilguard and a device may never end): pass the path of the file itself\n");
}

TEST_F(InputFilesTest, ReportOnDevZeroFailsAtOnce) {
  fs::create_symlink("/dev/zero", path("zero.json"));
  for (const auto* file : {"zero.json", "/dev/zero"}) {
    const auto r = gilguard({"report", file});
    EXPECT_FALSE(r.timed_out) << file;
    EXPECT_EQ(r.exit_code, 2) << file;
    EXPECT_NE(
        r.stderr_text.find(std::string(file) + ": it is a character device, not a regular file"),
        std::string::npos)
        << r.stderr_text;
  }
  test::write_file(path("c.json"), baseline::comparison_to_json_text(test::pass_comparison()));
  const auto results = gilguard({"report", "c.json", "--results", "zero.json"});
  EXPECT_FALSE(results.timed_out);
  EXPECT_EQ(results.exit_code, 2);
  EXPECT_NE(results.stderr_text.find("reading the results: cannot read zero.json: it is a "
                                     "character device"),
            std::string::npos)
      << results.stderr_text;
}

// --- what a wrong JSON file says: what, where (file, line and column) and the fix ---

TEST_F(InputFilesTest, AByteOrderMarkNanAndBadUtf8SayWhatAndWhere) {
  const std::string good = baseline::comparison_to_json_text(test::pass_comparison());
  test::write_file(path("bom.json"), "\xEF\xBB\xBF" + good);
  auto r = gilguard({"report", "bom.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: reading the comparison: bom.json: line 1, column 1: the text starts "
            "with a UTF-8 byte order mark (bytes EF BB BF), which JSON does not allow (RFC 8259, "
            "section 8.1): save the file as UTF-8 without it\n");

  std::string nan = good;
  const auto number = nan.find("\"threshold\": ") + 13;
  nan.replace(number, nan.find_first_of(",\n", number) - number, "NaN");
  test::write_file(path("nan.json"), nan);
  r = gilguard({"report", "nan.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("reading the comparison: nan.json: line "), std::string::npos)
      << r.stderr_text;
  EXPECT_NE(r.stderr_text.find(": NaN is not a JSON value (JSON has no NaN or infinity; "
                               "Python's json module writes them for float('nan') and "
                               "float('inf')): write null or a number instead\n"),
            std::string::npos)
      << r.stderr_text;

  std::string latin1 = good;
  latin1.insert(latin1.find("\"baseline_key\": \"") + 17, "\xE9");
  test::write_file(path("latin1.json"), latin1);
  r = gilguard({"report", "latin1.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.stderr_text.find("reading the comparison: latin1.json: line "), std::string::npos)
      << r.stderr_text;
  EXPECT_NE(r.stderr_text.find("invalid UTF-8 (byte 0xE9); JSON text must be UTF-8: save the "
                               "file as UTF-8\n"),
            std::string::npos)
      << r.stderr_text;
}

TEST_F(InputFilesTest, AnUnknownOrMissingCommandIsNamed) {
  auto r = gilguard({"frobnicate", "--flag"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: 'frobnicate' is not a command of 'gilguard'; the commands are "
            "build, probe, run, compare, report, comment, check, imports, baseline, checkout.\n"
            "Run 'gilguard --help' for what each does.\n");
  r = gilguard({"baseline", "frob"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: 'frob' is not a command of 'gilguard baseline'; the commands are "
            "update, show.\nRun 'gilguard baseline --help' for what each does.\n");
  r = gilguard({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: 'gilguard' needs a command: one of build, probe, run, compare, "
            "report, comment, check, imports, baseline, checkout.\nRun 'gilguard --help' for "
            "what each does.\n");
  // Other errors keep CLI11's words.
  r = gilguard({"check", "--frob"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: The following argument was not expected: --frob\nRun 'gilguard "
            "--help' or 'gilguard COMMAND --help' for usage.\n");
}

// --- the workload file: a FIFO blocked the digest forever, /dev/zero never ended ---

TEST_F(InputFilesTest, AWorkloadThatIsAFifoOrADeviceFailsAtOnce) {
  ASSERT_EQ(::mkfifo(path("fifo.py").c_str(), 0600), 0);
  fs::create_symlink("/dev/zero", path("zero.py"));
  for (const auto* file : {"fifo.py", "zero.py"}) {
    const auto r = gilguard({"run", "--gil", k_interpreter, "--ft", k_interpreter, "--workload",
                             file, "--output", "r.json"});
    EXPECT_FALSE(r.timed_out) << file;
    EXPECT_EQ(r.exit_code, 2) << file;
    EXPECT_TRUE(r.stderr_text.starts_with(
        fmt::format("gilguard: error: --workload {}: cannot read ", file)))
        << r.stderr_text;
    EXPECT_NE(r.stderr_text.find("not a regular file; a workload file must be a regular file"),
              std::string::npos)
        << r.stderr_text;
  }
}

// --- writing: a result on a device or FIFO replaced it with a regular file ---

TEST_F(InputFilesTest, ACharacterDeviceAsOutputIsWrittenNotReplaced) {
  const auto node = null_device("null");
  if (node.empty()) GTEST_SKIP() << "mknod needs root (CI runs as root)";
  test::write_file(path("r.json"),
                   baseline::results_to_json_text(baseline::testdata::sample_results(4)));
  const auto r = gilguard({"compare", "r.json", "--output", "null"});
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  EXPECT_TRUE(is_character_device(node));
}

TEST_F(InputFilesTest, AFifoAsOutputIsWrittenForItsReader) {
  test::write_file(path("r.json"),
                   baseline::results_to_json_text(baseline::testdata::sample_results(4)));
  const auto fifo = path("out.json");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // The reader: non-blocking (no writer yet reads as end of file), until gilguard is done.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  std::atomic<bool> done = false;
  auto received = std::async(std::launch::async, [&] {
    std::string text;
    char buffer[4096];
    for (;;) {
      const bool last = done.load();
      const auto n = ::read(reader, buffer, sizeof buffer);
      if (n > 0) {
        text.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (last) return text;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  const auto r = gilguard({"compare", "r.json", "--output", "out.json"});
  done = true;
  const std::string text = received.get();
  ::close(reader);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  struct stat st {};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  const auto comparison = baseline::comparison_from_json_text(text);
  EXPECT_TRUE(comparison) << text;
}

// A wrong output path fails before anything is measured: the interpreters (which would fail
// too) are never looked at.
TEST_F(InputFilesTest, AnOutputThatIsADirectoryFailsBeforeMeasuring) {
  fs::create_directory(path("out"));
  auto r = gilguard({"run", "--gil", k_interpreter, "--ft", k_interpreter, "--output", "out"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: --output: cannot write out: it is a directory; pass the path of a "
            "file (in it, say, out/gilguard.json)\n");
  r = gilguard({"check", "--gil", k_interpreter, "--ft", k_interpreter, "--results", "out"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: --results: cannot write out: it is a directory; pass the path of a "
            "file (in it, say, out/gilguard.json)\n");
  test::write_file(path("file"), "x");
  r = gilguard(
      {"check", "--gil", k_interpreter, "--ft", k_interpreter, "--comparison", "file/c.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.stderr_text,
            "gilguard: error: --comparison: cannot write file/c.json: file is a regular file, "
            "not a directory; pass a path in a directory\n");
}

}  // namespace
}  // namespace gilguard::cli
