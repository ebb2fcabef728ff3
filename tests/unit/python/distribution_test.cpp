#include "gilguard/python/distribution.hpp"

#include <gtest/gtest.h>

namespace gilguard::python {
namespace {

util::ProcessResult finished(std::string report_text, int exit_code = 0) {
  util::ProcessResult run;
  run.exit_code = exit_code;
  run.report_text = std::move(report_text);
  return run;
}

TEST(DistributionReport, ModulesAndSkippedFilesInTheOrderOfTheFileList) {
  const auto read = read_distribution_report(
      finished("gilguard-dist name Scale-Pkg\ngilguard-dist version 1.2\n"
               "gilguard-dist file-list \n"
               "gilguard-dist module scalepkg scalepkg/__init__.cpython-314t-x86_64-linux-gnu.so\n"
               "gilguard-dist skipped scalepkg.libs/libz.so\n"
               "gilguard-dist module scalepkg._speedups scalepkg/_speedups.abi3.so\n"
               "gilguard-dist done \n"));
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_TRUE(read->installed);
  EXPECT_TRUE(read->has_file_list);
  EXPECT_EQ(read->name, "Scale-Pkg");
  EXPECT_EQ(read->version, "1.2");
  EXPECT_EQ(read->modules, (std::vector<ExtensionModule>{
                               {"scalepkg", "scalepkg/__init__.cpython-314t-x86_64-linux-gnu.so"},
                               {"scalepkg._speedups", "scalepkg/_speedups.abi3.so"}}));
  EXPECT_EQ(read->skipped, std::vector<std::string>{"scalepkg.libs/libz.so"});
}

TEST(DistributionReport, AnUnknownDistributionIsNotInstalled) {
  const auto read =
      read_distribution_report(finished("gilguard-dist unknown \ngilguard-dist done \n"));
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_FALSE(read->installed);
}

TEST(DistributionReport, AnUnfinishedReportSaysHowTheInterpreterEnded) {
  auto run = finished("gilguard-dist name x\n", 1);
  run.stderr_text = "Traceback (most recent call last):\nImportError: no importlib.metadata\n";
  const auto read = read_distribution_report(run);
  ASSERT_FALSE(read);
  EXPECT_NE(read.error().message.find("exit status 1"), std::string::npos) << read.error().message;
  EXPECT_NE(read.error().message.find("ImportError: no importlib.metadata"), std::string::npos)
      << read.error().message;
}

TEST(DistributionName, AcceptsPipNamesOnly) {
  EXPECT_TRUE(is_distribution_name("numpy"));
  EXPECT_TRUE(is_distribution_name("pydantic-core"));
  EXPECT_TRUE(is_distribution_name("zope.interface"));
  EXPECT_FALSE(is_distribution_name(""));
  EXPECT_FALSE(is_distribution_name("-rf"));
  EXPECT_FALSE(is_distribution_name("pkg "));
  EXPECT_FALSE(is_distribution_name("a/b"));
}

}  // namespace
}  // namespace gilguard::python
