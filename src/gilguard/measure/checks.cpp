#include "gilguard/measure/checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "gilguard/measure/executor.hpp"
#include "gilguard/measure/limits.hpp"
#include "gilguard/measure/run_benchmark.hpp"
#include "gilguard/python/gil_messages.hpp"
#include "gilguard/workload/harness.hpp"

namespace gilguard::measure {
namespace {

constexpr std::string_view k_wrong_result_prefix = "wrong result";

std::string cell_name(const Cell& cell) {
  return fmt::format("{}{} interpreter, {} thread{}", cell.side == Side::base ? "base " : "",
                     to_string(cell.flavor), cell.threads, cell.threads == 1 ? "" : "s");
}

// The failure kind of a failed sample (the wrong-result texts are the workload's own).
std::string failure_kind(const Sample& sample) {
  if (sample.failure.starts_with("wrong prime count")) return "wrong-count";
  if (sample.failure.starts_with(k_wrong_result_prefix)) return "wrong-result";
  if (sample.failure.starts_with(k_object_result_prefix)) return "object-result";
  if (is_timeout(sample)) return "timeout";
  if (sample.failure.starts_with(k_inconsistent_prefix)) return "inconsistent-report";
  return "crash";
}

std::string advice(const std::string& kind, const Sample& first) {
  if (kind == "wrong-result")
    return "The sequential and threaded runs of the workload disagreed: if the function is "
           "deterministic (its result depends only on the index), this is a data race in the "
           "code it runs or an interpreter bug; a function that reads shared mutable state or "
           "randomness cannot be checked this way.";
  if (kind == "object-result")
    return "Its results are compared between the sequential, threaded and process runs by "
           "value, and an object printed with its memory address differs between runs even "
           "when equal: return a value, not an object (numbers, strings, bytes, None, and "
           "tuples, lists, dicts and sets of them), such as the fields that matter as a tuple.";
  if (kind == "wrong-count")
    return "The interpreter computed a wrong result: rerun, and if it repeats, treat it as an "
           "interpreter bug.";
  if (kind == "inconsistent-report")
    return "The child's report claims what gilguard did not measure of the child itself, so "
           "gilguard's harness did not write it alone: code in the child (the workload, a module "
           "it imports, a .pth file) wrote to its report channel or changed its clocks. The "
           "sample is not used; read the workload's code (docs/security.md, \"Forged results\").";
  if (kind == "timeout" && first.failure.find(k_sizing_note) != std::string::npos)
    return fmt::format(
        "No --range was given, so this child sized it: it called the function on 1, 2, 4, ... "
        "indices until one pass took {} s, then measured at that range ({} indices at least) "
        "before its timeout. One call takes too long for that (its stderr says how long, when it "
        "got that far): make one call do less work, or pass --range (from {}), which gives every "
        "child of the warm-up {} s.",
        workload::k_target_seconds, workload::k_min_sized_range, k_min_range,
        std::chrono::duration_cast<std::chrono::seconds>(k_workload_child_timeout).count());
  if (kind == "timeout")
    return "The child was killed after its timeout; check that the machine is not overloaded "
           "and that the interpreter does not hang (try a smaller --range).";
  return "The other cells went on; run the interpreter by hand to reproduce the failure.";
}

// True when the warning naming `module` was printed at start-up (see k_startup_warning_prefix).
bool at_startup(const std::vector<std::string>& warnings, const std::string& module) {
  return std::any_of(warnings.begin(), warnings.end(), [&](const std::string& warning) {
    return warning.starts_with(k_startup_warning_prefix) &&
           python::module_in_gil_warning(warning) == module;
  });
}

// "a", "a and b", "a, b and c".
std::string in_words(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

// "module 'a' has" / "modules 'a' and 'b' have".
std::string modules_have(const std::vector<std::string>& modules) {
  std::vector<std::string> quoted;
  for (const auto& module : modules) quoted.push_back("'" + module + "'");
  return fmt::format("module{} {} {}", modules.size() == 1 ? "" : "s", in_words(quoted),
                     modules.size() == 1 ? "has" : "have");
}

// "module 'a' has not declared free-threading support (...). Use a version that declares it,
// or <otherwise>", `otherwise` with {0} standing for "it" or "them".
std::string undeclared(const std::vector<std::string>& modules, std::string_view otherwise) {
  const bool one = modules.size() == 1;
  return fmt::format(
      "{} not declared free-threading support (the Py_mod_gil slot). Use {} that declare{} it, "
      "or {}",
      modules_have(modules), one ? "a version" : "versions", one ? "s" : "",
      fmt::format(fmt::runtime(otherwise), one ? "it" : "them"));
}

constexpr std::string_view k_keep_out_of_startup =
    "keep {0} out of start-up (site loaded {0} from a .pth file or sitecustomize in the "
    "interpreter's site-packages)";

CheckFailure startup_failure(const ImportCheck& check, const std::string& ft_python) {
  std::string cause;
  if (!check.startup_gil_modules.empty())
    cause = undeclared(check.startup_gil_modules, k_keep_out_of_startup);
  else if (!check.gil_flag.empty())
    cause = fmt::format(
        "sys.flags.gil is {} (PYTHON_GIL or -X gil); unset it to measure without "
        "the GIL",
        check.gil_flag);
  else
    cause = "CPython named no module; check the interpreter's configuration";
  return {"gil-enabled",
          fmt::format("free-threaded interpreter {}: the GIL was enabled at start-up, before "
                      "gilguard imported anything: {}.",
                      ft_python, cause)};
}

}  // namespace

void mark_wrong_results(std::vector<Sample>& samples, const workload::Workload& workload,
                        std::int64_t range) {
  const auto known = workload.expected_result(range);
  for (auto& s : samples) {
    if (!s.ok) continue;
    const auto expected = known ? known : s.expected;
    const bool reference_ok = s.t_ref <= 0 || s.count_ref == s.count_seq;
    const bool expected_ok = !expected || s.count_seq == *expected;
    if (s.count_seq == s.count_par && reference_ok && expected_ok) continue;
    s.ok = false;
    s.failure = workload.wrong_result(s, expected, range);
  }
}

std::optional<std::string> report_contradiction(const Sample& s, int repeats) {
  const bool reference = s.t_ref > 0;
  const int runs = reference ? 1 : std::max(repeats, 1);
  const int split_runs = reference ? 2 : runs;
  if (s.wall_seconds > 0) {
    const double regions = runs * s.t_seq + split_runs * s.t_par + (reference ? 2 * s.t_ref : 0);
    if (regions > s.wall_seconds + k_report_wall_slack) {
      const auto times = [](int n, std::string_view name, double seconds) {
        return n == 1 ? fmt::format("{} {:.3f} s", name, seconds)
                      : fmt::format("{} x {} {:.3f} s", n, name, seconds);
      };
      return fmt::format(
          "{}: its timed regions add up to {:.3f} s ({}, {}{}), but the child ran {:.3f} s from "
          "start to exit",
          k_inconsistent_prefix, regions, times(runs, "t_seq", s.t_seq),
          times(split_runs, "t_par", s.t_par),
          reference ? ", " + times(2, "t_ref", s.t_ref) : std::string(), s.wall_seconds);
    }
  }
  const std::pair<const std::vector<double>*, std::pair<std::string_view, double>> splits[] = {
      {&s.thread_times, {"thread", s.t_par}}, {&s.ref_times, {"process", s.t_ref}}};
  for (const auto& [workers, region] : splits) {
    for (std::size_t i = 0; i < workers->size(); ++i) {
      if ((*workers)[i] > region.second + k_report_wall_slack)
        return fmt::format("{}: {} worker {} took {:.3f} s, longer than its region's {:.3f} s",
                           k_inconsistent_prefix, region.first, i + 1, (*workers)[i],
                           region.second);
    }
  }
  if (s.child_cpu_seconds) {
    double workers_cpu = 0;
    for (const auto* load : {&s.seq_load, &s.par_load, &s.ref_load})
      if (*load && (*load)->workers_cpu) workers_cpu += *(*load)->workers_cpu;
    if (workers_cpu > *s.child_cpu_seconds + k_report_cpu_slack)
      return fmt::format(
          "{}: its workers used {:.3f} CPU-seconds, but the whole child used {:.3f} (its threads "
          "and the processes it waited for)",
          k_inconsistent_prefix, workers_cpu, *s.child_cpu_seconds);
  }
  return std::nullopt;
}

void mark_inconsistent_reports(std::vector<Sample>& samples, int repeats) {
  for (auto& s : samples) {
    if (!s.ok) continue;
    if (auto contradiction = report_contradiction(s, repeats)) {
      s.ok = false;
      s.failure = std::move(*contradiction);
    }
  }
}

std::optional<std::string> module_reenabling_gil(const std::vector<std::string>& warnings) {
  for (const auto& warning : warnings)
    if (auto module = python::module_in_gil_warning(warning)) return module;
  return std::nullopt;
}

std::vector<CheckFailure> check_samples(const std::vector<Sample>& samples,
                                        const std::optional<std::string>& gil_override) {
  // Keyed by (flavour, threads, kind) in first-seen order of the key.
  struct Group {
    const Sample* first = nullptr;
    int count = 0;
  };
  std::vector<std::tuple<Cell, std::string>> keys;
  std::map<std::tuple<int, int, int, std::string>, Group> groups;
  std::map<std::tuple<int, int, int>, int> rounds_per_cell;
  auto cell_key = [](const Cell& c) {
    return std::make_tuple(static_cast<int>(c.side), static_cast<int>(c.flavor), c.threads);
  };
  auto note = [&](const Sample& s, const std::string& kind) {
    const auto key = std::tuple_cat(cell_key(s.cell), std::make_tuple(kind));
    auto& group = groups[key];
    if (group.count++ == 0) {
      group.first = &s;
      keys.emplace_back(s.cell, kind);
    }
  };
  for (const auto& s : samples) {
    ++rounds_per_cell[cell_key(s.cell)];
    if (!s.ok) {
      note(s, failure_kind(s));
      continue;
    }
    if (s.cell.flavor == Flavor::ft && s.gil_enabled.value_or(false)) note(s, "gil-enabled");
    if (s.cell.flavor == Flavor::gil && s.gil_enabled == false) note(s, "wrong-flavor");
  }

  std::vector<CheckFailure> failures;
  for (const auto& [cell, kind] : keys) {
    const auto& group = groups[std::tuple_cat(cell_key(cell), std::make_tuple(kind))];
    const int total = rounds_per_cell[cell_key(cell)];
    const auto& first = *group.first;
    const auto how_often =
        fmt::format("in {} of {} runs (round 0 is the warm-up)", group.count, total);
    std::string message;
    if (kind == "gil-enabled") {
      std::string cause;
      if (const auto module = module_reenabling_gil(first.warnings))
        cause = at_startup(first.warnings, *module)
                    ? fmt::format("it was re-enabled at start-up, before the workload ran: {}",
                                  undeclared({*module}, k_keep_out_of_startup))
                    : fmt::format(
                          "module '{}' re-enabled it at import. Use a version of '{}' that "
                          "declares free-threading support, or do not import it",
                          *module, *module);
      else if (gil_override)
        cause = fmt::format(
            "PYTHON_GIL={} is set in gilguard's environment and was passed on; unset it to "
            "measure without the GIL",
            *gil_override);
      else
        cause =
            "no warning named a module; check the interpreter's configuration (-X gil, "
            "PYTHON_GIL)";
      message = fmt::format("{}: the GIL was enabled at run time {}: {}.", cell_name(cell),
                            how_often, cause);
    } else if (kind == "wrong-flavor") {
      message = fmt::format(
          "{}: sys._is_gil_enabled() was false {}, so this is not a build with the GIL; pass a "
          "standard build with --gil.",
          cell_name(cell), how_often);
    } else {
      message = fmt::format("{}: {} {} (round {}): {}. {}", cell_name(cell),
                            kind == "wrong-count" || kind == "wrong-result" ? "wrong result"
                            : kind == "object-result"       ? "result not comparable"
                            : kind == "timeout"             ? "child timed out"
                            : kind == "inconsistent-report" ? "report rejected"
                                                            : "child failed",
                            how_often, first.round, first.failure, advice(kind, first));
    }
    failures.push_back({kind, message});
  }
  return failures;
}

std::vector<CheckFailure> check_interpreters(const InterpreterFacts& gil,
                                             const InterpreterFacts& ft, std::string_view prefix) {
  std::vector<CheckFailure> failures;
  if (gil.gil_disabled_build)
    failures.push_back(
        {"wrong-flavor",
         fmt::format("--{}gil {} (Python {}) is a free-threaded build (Py_GIL_DISABLED=1); pass a "
                     "standard build with the GIL, such as python{}",
                     prefix, gil.path, gil.version, gil.major_minor())});
  if (auto failure = check_free_threaded(ft, prefix)) failures.push_back(std::move(*failure));
  return failures;
}

std::optional<CheckFailure> check_free_threaded(const InterpreterFacts& ft,
                                                std::string_view prefix) {
  if (ft.gil_disabled_build) return std::nullopt;
  return CheckFailure{
      "wrong-flavor",
      fmt::format("--{}ft {} (Python {}) is a build with the GIL (Py_GIL_DISABLED=0); pass a "
                  "free-threaded build, such as python{}t or one configured with "
                  "--disable-gil",
                  prefix, ft.path, ft.version, ft.major_minor())};
}

std::vector<CheckFailure> check_imports(const std::vector<ImportCheck>& imports,
                                        const std::string& ft_python) {
  std::vector<CheckFailure> failures;
  const auto startup = std::find_if(imports.begin(), imports.end(), [](const ImportCheck& check) {
    return check.gil_before == true;
  });
  if (startup != imports.end()) failures.push_back(startup_failure(*startup, ft_python));
  for (const auto& check : imports) {
    if (!check.imported) {
      failures.push_back(
          {"import-failed",
           fmt::format("--import {}: importing it in {} failed:\n{}\nInstall '{}' into that "
                       "interpreter (for a venv, pass the venv's bin/python). gilguard's children "
                       "run isolated (-I, with only {} from the environment), so PYTHONPATH and "
                       "the user site-packages are not seen.",
                       check.module, ft_python, check.error, check.module,
                       in_words({std::begin(k_child_environment_allow_list),
                                 std::end(k_child_environment_allow_list)}))});
      continue;
    }
    if (check.import_gil_modules.empty() && !check.enabled_gil()) continue;
    std::string what = check.enabled_gil() ? "importing it enabled the GIL"
                                           : "importing it needs the GIL (already on at start-up)";
    failures.push_back(
        {"import-gil",
         check.import_gil_modules.empty()
             ? fmt::format("--import {}: {}, but CPython named no module; import its extension "
                           "modules one by one with --import to find the one without the "
                           "Py_mod_gil slot.",
                           check.module, what)
             : fmt::format("--import {}: {}: {}.", check.module, what,
                           undeclared(check.import_gil_modules,
                                      "do not import {0} in free-threaded code"))});
  }
  return failures;
}

CheckFailure imports_over_time(const std::vector<std::string>& left_out,
                               std::chrono::milliseconds limit,
                               std::chrono::milliseconds per_module) {
  std::vector<std::string> quoted;
  for (const auto& module : left_out) quoted.push_back("'" + module + "'");
  const auto seconds = [](std::chrono::milliseconds d) {
    return std::chrono::duration<double>(d).count();
  };
  return {"import-time-limit",
          fmt::format("--import: the import probes used up their {:g} s in all (at most {:g} s a "
                      "module, each in a fresh process) before {} could be probed, so {} not "
                      "checked. Pass fewer modules to --import (the extension modules whose "
                      "GIL matters), or find what makes an import slow with python -X importtime "
                      "-c 'import MODULE' in the free-threaded interpreter.",
                      seconds(limit), seconds(per_module), in_words(quoted),
                      left_out.size() == 1 ? "it was" : "they were")};
}

}  // namespace gilguard::measure
