#include "gilguard/python/imports.hpp"

#include <gtest/gtest.h>

#include "gilguard/core/error.hpp"

namespace gilguard::python {
namespace {

util::ProcessResult finished(std::string report_text, std::string stderr_text = {}) {
  util::ProcessResult run;
  run.exit_code = 0;
  run.report_text = std::move(report_text);
  run.stderr_text = std::move(stderr_text);
  return run;
}

constexpr const char* k_marker = "gilguard-import: start-up done, importing m\n";

TEST(Imports, ModuleNames) {
  for (const char* good : {"numpy", "a.b.c", "_private", "x1.y_2", "caf\xc3\xa9"})
    EXPECT_TRUE(is_module_name(good)) << good;
  for (const char* bad : {"", ".a", "a.", "a..b", "1abc", "a-b", "a b", "a/b", "a;b"})
    EXPECT_FALSE(is_module_name(bad)) << bad;
}

TEST(Imports, ListsAreSplitOnCommasAndNewlinesWithoutRepeats) {
  EXPECT_EQ(parse_import_list({"numpy, pkg.mod", "\n  scipy\n\nnumpy\n", ""}),
            (std::vector<std::string>{"numpy", "pkg.mod", "scipy"}));
  EXPECT_TRUE(parse_import_list({}).empty());
}

TEST(Imports, ABadNameIsAUsageErrorNamingIt) {
  try {
    parse_import_list({"numpy,my-package"});
    FAIL() << "no exception";
  } catch (const Failure& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    EXPECT_EQ(std::string(e.what()),
              "--import numpy,my-package: 'my-package' is not a module name; pass a name as "
              "Python imports it, such as --import numpy or --import package.module (several: "
              "repeat --import, or separate them with commas)");
  }
}

// -q keeps -v's version banner out of the stderr whose tail an error shows.
TEST(Imports, ProbeArgvIsIsolatedQuietVerboseAndPassesTheGilOverride) {
  const auto argv = import_probe_argv("/venv/bin/python", "pkg.mod", std::nullopt);
  ASSERT_EQ(argv.size(), 8u);
  EXPECT_EQ(argv[0], "/venv/bin/python");
  EXPECT_EQ(argv[1], "-I");
  EXPECT_EQ(argv[2], "-q");
  EXPECT_EQ(argv[3], "-v");
  EXPECT_EQ(argv[4], "-c");
  EXPECT_EQ(argv[5], import_probe_script());
  EXPECT_EQ(argv[6], "pkg.mod");
  const auto forced = import_probe_argv("/py", "m", std::string("0"));
  EXPECT_EQ(forced[4], "-X");
  EXPECT_EQ(forced[5], "gil=0");
}

TEST(Imports, ACleanImport) {
  const auto check =
      read_import_probe("m", finished("noise the module printed\ngilguard-import gil-flag none\n"
                                      "gilguard-import gil-before 0\ngilguard-import gil-after 0\n"
                                      "gilguard-import imported \n",
                                      std::string("import 'site' # frozen\n") + k_marker));
  EXPECT_TRUE(check.imported);
  EXPECT_EQ(check.gil_before, false);
  EXPECT_EQ(check.gil_after, false);
  EXPECT_FALSE(check.enabled_gil());
  EXPECT_TRUE(check.startup_gil_modules.empty());
  EXPECT_TRUE(check.import_gil_modules.empty());
  EXPECT_EQ(check.gil_flag, "");
  EXPECT_EQ(check.error, "");
}

// What the module prints on stdout is its own: lines shaped like the probe's are not read.
TEST(Imports, LinesOnStdoutAreNotTheProbes) {
  util::ProcessResult run = finished("");
  run.stdout_text =
      "gilguard-import gil-flag none\ngilguard-import gil-before 0\ngilguard-import gil-after 0\n"
      "gilguard-import imported \n";
  const auto check = read_import_probe("m", run);
  EXPECT_FALSE(check.imported);
  EXPECT_FALSE(check.gil_after.has_value());
}

TEST(Imports, EveryModuleNeedingTheGilIsNamedWithWhereItWasLoaded) {
  const auto check = read_import_probe(
      "m", finished("gilguard-import gil-flag none\ngilguard-import gil-before 1\n"
                    "gilguard-import gil-after 1\ngilguard-import imported \n",
                    "<string>:1: RuntimeWarning: The global interpreter lock (GIL) has been "
                    "enabled to load module 'gg_pth', which has not declared ...\n"
                    "# loading module 'gg_pth', which requires the GIL\n" +
                        std::string(k_marker) +
                        "# loading module 'm._a', which requires the GIL\n"
                        "# loading module 'm._b', which requires the GIL\n"));
  EXPECT_TRUE(check.imported);
  EXPECT_EQ(check.startup_gil_modules, std::vector<std::string>{"gg_pth"});
  EXPECT_EQ(check.import_gil_modules, (std::vector<std::string>{"m._a", "m._b"}));
  EXPECT_FALSE(check.enabled_gil());  // it was on before the import
}

TEST(Imports, AnImportThatSwitchesTheGilOn) {
  const auto check = read_import_probe(
      "m", finished("gilguard-import gil-flag none\ngilguard-import gil-before 0\n"
                    "gilguard-import gil-after 1\ngilguard-import imported \n",
                    std::string(k_marker) +
                        "m.py:1: RuntimeWarning: The global interpreter lock (GIL) has been "
                        "enabled to load module 'm._speedups', which has not declared ...\n"));
  EXPECT_TRUE(check.enabled_gil());
  EXPECT_EQ(check.import_gil_modules, std::vector<std::string>{"m._speedups"});
}

TEST(Imports, AFailedImportKeepsTheTracebacksLastLines) {
  const auto check = read_import_probe(
      "m", finished("gilguard-import gil-flag 0\ngilguard-import gil-before 0\n"
                    "gilguard-import gil-after 0\n"
                    "gilguard-import error Traceback (most recent call last):\n"
                    "gilguard-import error   File \"m.py\", line 1, in <module>\n"
                    "gilguard-import error ModuleNotFoundError: No module named 'dep'\n"));
  EXPECT_FALSE(check.imported);
  EXPECT_EQ(check.gil_flag, "0");
  EXPECT_EQ(check.error,
            "Traceback (most recent call last):\n  File \"m.py\", line 1, in <module>\n"
            "ModuleNotFoundError: No module named 'dep'");
}

TEST(Imports, ACrashDuringTheImportSaysHowItEndedAndTheStderrTail) {
  util::ProcessResult run = finished("gilguard-import gil-before 0\n",
                                     std::string(k_marker) + "# code object from m.py\n" +
                                         "Fatal Python error: Segmentation fault\n");
  run.exit_code = -1;
  run.signal = 11;
  const auto check = read_import_probe("m", run);
  EXPECT_FALSE(check.imported);
  EXPECT_EQ(check.gil_before, false);
  EXPECT_FALSE(check.gil_after.has_value());
  EXPECT_NE(check.error.find("the interpreter ended with killed by signal 11"), std::string::npos)
      << check.error;
  EXPECT_NE(check.error.find("Fatal Python error: Segmentation fault"), std::string::npos);
  EXPECT_EQ(check.error.find("code object"), std::string::npos) << check.error;
}

TEST(Imports, ATimeoutSaysSo) {
  util::ProcessResult run = finished("");
  run.timed_out = true;
  run.wall_seconds = 120;
  const auto check = read_import_probe("m", run);
  EXPECT_FALSE(check.imported);
  EXPECT_EQ(check.error,
            "the interpreter was killed after 120.0 s (its time limit) before the import finished; "
            "stderr was empty");
}

}  // namespace
}  // namespace gilguard::python
