#include "gilguard/report/imports.hpp"

#include <gtest/gtest.h>

namespace gilguard::report {
namespace {

ImportCheck clean(std::string module) {
  ImportCheck check;
  check.module = std::move(module);
  check.imported = true;
  check.gil_before = false;
  check.gil_after = false;
  return check;
}

ImportReport sample_report() {
  ImportReport report;
  report.ft_python = "/venv/bin/python";
  report.distributions.push_back({"scalepkg", "1.0", {"scalepkg._speedups", "scalepkg._gil"}});
  report.imports.push_back(clean("scalepkg._speedups"));
  auto bad = clean("scalepkg._gil");
  bad.gil_after = true;
  bad.import_gil_modules = {"scalepkg._gil"};
  report.imports.push_back(bad);
  report.failures.push_back({"import-gil", "--import scalepkg._gil: importing it enabled the GIL"});
  return report;
}

TEST(ImportReport, TextHasALinePerModuleAndTheFailedCheck) {
  const auto text = render_import_text(sample_report());
  EXPECT_NE(text.find("  ok    scalepkg._speedups  the GIL stays disabled\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  FAIL  scalepkg._gil       importing it enabled the GIL: needed by "
                      "'scalepkg._gil'\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("failed check (import-gil): --import scalepkg._gil"), std::string::npos)
      << text;
  EXPECT_NE(text.find("1 of 2 modules failed the import check"), std::string::npos) << text;
}

TEST(ImportReport, SummaryNamesTheDistributionOfEachModule) {
  auto report = sample_report();
  report.imports.push_back(clean("other"));
  const auto summary = render_import_summary(report);
  EXPECT_EQ(summary.rfind("### ❌ gilguard imports: Failed check\n", 0), 0u) << summary;
  EXPECT_NE(summary.find("| `scalepkg._gil` | scalepkg 1.0 | ❌"), std::string::npos) << summary;
  EXPECT_NE(summary.find("| `other` | --import | ✅"), std::string::npos) << summary;
}

TEST(ImportReport, APassHasNoFindings) {
  ImportReport report;
  report.ft_python = "py";
  report.imports = {clean("a"), clean("b")};
  EXPECT_TRUE(import_findings(report).empty());
  EXPECT_NE(render_import_text(report).find("All 2 modules imported"), std::string::npos);
  EXPECT_EQ(import_findings(sample_report()).size(), 1u);
  EXPECT_EQ(import_findings(sample_report())[0].title, "Failed check: import-gil");
}

}  // namespace
}  // namespace gilguard::report
