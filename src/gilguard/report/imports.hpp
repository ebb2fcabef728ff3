#pragma once

#include <string>
#include <vector>

#include "gilguard/core/import_check.hpp"
#include "gilguard/core/run_result.hpp"
#include "gilguard/report/findings.hpp"

// The reports of `gilguard imports`: the import check alone, without rounds.
namespace gilguard::report {

// A distribution whose compiled extension modules were found and checked.
struct CheckedDistribution {
  std::string name;
  std::string version;
  std::vector<std::string> modules;
};

// Everything `gilguard imports` found.
struct ImportReport {
  std::string ft_python;  // the free-threaded interpreter the modules were imported in
  std::vector<CheckedDistribution> distributions;
  std::vector<ImportCheck> imports;    // one probe per module, in order
  std::vector<CheckFailure> failures;  // the failed checks (wrong flavour, imports, time limit)
};

// What one module's probe showed, in words: "the GIL stays disabled", "importing it enabled the
// GIL: needed by 'pkg._speedups'", "the import failed (see the failed checks)", ...
std::string import_outcome(const ImportCheck& check);

// Whether the module passed: imported, the GIL off after start-up and after its import, and no
// module CPython named as needing it.
bool import_passed(const ImportCheck& check);

// The terminal report: a line per module ("  ok    pkg._speedups  the GIL stays disabled",
// "  FAIL  ..."), the failed checks in full, and a last line with the count.
std::string render_import_text(const ImportReport& report);

// The step summary: the verdict in one sentence, a table of modules with their distribution and
// outcome, and the failed checks.
std::string render_import_summary(const ImportReport& report);

// One error finding per failed check ("Failed check: import-gil"), as the check's reports
// title them, for the annotations.
std::vector<Finding> import_findings(const ImportReport& report);

}  // namespace gilguard::report
