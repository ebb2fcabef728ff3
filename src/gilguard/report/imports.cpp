#include "gilguard/report/imports.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "gilguard/report/markdown.hpp"
#include "gilguard/report/sections.hpp"

namespace gilguard::report {
namespace {

// Where a module to check came from: the distribution that ships it, or --import.
std::string source_of(const ImportReport& report, const std::string& module) {
  for (const auto& dist : report.distributions)
    if (std::find(dist.modules.begin(), dist.modules.end(), module) != dist.modules.end())
      return dist.version.empty() ? dist.name : fmt::format("{} {}", dist.name, dist.version);
  return "--import";
}

std::size_t failed_modules(const ImportReport& report) {
  return static_cast<std::size_t>(
      std::count_if(report.imports.begin(), report.imports.end(),
                    [](const ImportCheck& check) { return !import_passed(check); }));
}

// "2 modules", "1 module".
std::string modules_word(std::size_t n) { return fmt::format("{} module{}", n, n == 1 ? "" : "s"); }

// The sentence both reports end or start with.
std::string verdict_sentence(const ImportReport& report) {
  const auto checked = report.imports.size();
  if (report.failures.empty())
    return fmt::format(
        "{} imported in the free-threaded interpreter with the GIL staying disabled.",
        checked == 1 ? "The module" : fmt::format("All {}", modules_word(checked)));
  const auto bad = failed_modules(report);
  if (bad == 0)
    return fmt::format("The import check failed ({} failed check{}).", report.failures.size(),
                       report.failures.size() == 1 ? "" : "s");
  return fmt::format("{} of {} failed the import check: {}.", bad, modules_word(checked),
                     bad == 1 ? "it turns the GIL on or does not import"
                              : "they turn the GIL on or do not import");
}

}  // namespace

bool import_passed(const ImportCheck& check) {
  return check.imported && check.gil_before != true && check.gil_after != true &&
         check.import_gil_modules.empty();
}

std::string import_outcome(const ImportCheck& check) {
  std::string outcome;
  if (!check.imported)
    outcome = "the import failed (see the failed checks)";
  else if (check.enabled_gil())
    outcome = "importing it enabled the GIL";
  else if (!check.import_gil_modules.empty())
    outcome = "importing it needs the GIL (already on at start-up)";
  else if (check.gil_after == false)
    outcome = "the GIL stays disabled";
  else
    outcome = "imported; the GIL was already on";
  for (std::size_t i = 0; i < check.import_gil_modules.size(); ++i)
    outcome += fmt::format("{}'{}'", i == 0 ? ": needed by " : ", ", check.import_gil_modules[i]);
  return outcome;
}

std::string render_import_text(const ImportReport& report) {
  std::size_t width = 0;
  for (const auto& check : report.imports) width = std::max(width, check.module.size());
  std::string out;
  for (const auto& check : report.imports)
    out += fmt::format("  {:<4}  {:<{}}  {}\n", import_passed(check) ? "ok" : "FAIL", check.module,
                       width, import_outcome(check));
  if (!report.failures.empty()) {
    out += "\n";
    for (const auto& failure : report.failures)
      out += fmt::format("  failed check ({}): {}\n", failure.kind, failure.message);
  }
  out += fmt::format("\n  {} (free-threaded interpreter {})\n", verdict_sentence(report),
                     report.ft_python);
  return out;
}

std::string render_import_summary(const ImportReport& report) {
  const bool bad = !report.failures.empty();
  std::string out = fmt::format("### {} gilguard imports: {}\n\n", bad ? "❌" : "✅",
                                bad ? "Failed check" : "The GIL stays disabled");
  out += markdown_text(verdict_sentence(report)) + "\n\n";
  if (!report.imports.empty()) {
    out += "| Module | From | Result |\n| --- | --- | --- |\n";
    for (const auto& check : report.imports)
      out += fmt::format("| {} | {} | {} {} |\n", table_cell(code_span(check.module)),
                         table_cell(markdown_text(source_of(report, check.module))),
                         import_passed(check) ? "✅" : "❌",
                         table_cell(markdown_text(import_outcome(check))));
    out += "\n";
  }
  if (bad) {
    const auto findings = import_findings(report);
    out += "#### Failed checks\n\n" + markdown_findings(findings, findings.size()) + "\n";
  }
  out += fmt::format("Free-threaded interpreter {}.\n", code_span(report.ft_python));
  return out;
}

std::vector<Finding> import_findings(const ImportReport& report) {
  std::vector<Finding> out;
  for (const auto& failure : report.failures)
    out.push_back(
        {Severity::error, 0, 0, fmt::format("Failed check: {}", failure.kind), failure.message});
  return out;
}

}  // namespace gilguard::report
