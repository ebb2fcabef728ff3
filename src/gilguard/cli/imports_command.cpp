#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>

#include "gilguard/cli/commands.hpp"
#include "gilguard/cli/print.hpp"
#include "gilguard/cli/run_options.hpp"
#include "gilguard/github/context.hpp"
#include "gilguard/github/output_file.hpp"
#include "gilguard/measure/checks.hpp"
#include "gilguard/measure/executor.hpp"
#include "gilguard/measure/run_benchmark.hpp"
#include "gilguard/python/distribution.hpp"
#include "gilguard/python/imports.hpp"
#include "gilguard/python/probe.hpp"
#include "gilguard/report/annotations.hpp"
#include "gilguard/report/imports.hpp"

namespace gilguard::cli {
namespace {

struct ImportsOptions {
  std::string ft;
  std::vector<std::string> imports;        // --import, each possibly a comma-separated list
  std::vector<std::string> distributions;  // --distribution
};

// The extension modules `name` ships in `ft`, found by python::discover_distribution; throws a
// usage Failure naming the distribution and the interpreter when it is not installed there,
// records no files or ships no extension module.
report::CheckedDistribution discover(const std::string& ft, const std::string& name,
                                     const util::Environment& env) {
  const auto found = value_or_throw(
      python::discover_distribution(ft, name, env),
      fmt::format("--distribution {}: reading its files in the free-threaded interpreter {}", name,
                  ft));
  if (!found.installed)
    throw usage_error(fmt::format(
        "--distribution {}: no distribution of that name is installed in the free-threaded "
        "interpreter {} (importlib.metadata found none). Install it there first (for a venv, "
        "pass the venv's bin/python as --ft), or give its name as 'pip list' shows it",
        name, ft));
  if (!found.has_file_list)
    throw usage_error(fmt::format(
        "--distribution {}: {} {} in {} records no file list (no RECORD in its metadata), so its "
        "extension modules cannot be found; install it with pip, or name the modules with "
        "--import",
        name, found.name, found.version, ft));
  if (found.modules.empty())
    throw usage_error(fmt::format(
        "--distribution {}: {} {} in {} ships no compiled extension module (no file of its list "
        "ends with one of importlib.machinery.EXTENSION_SUFFIXES and defines its PyInit_ "
        "function){}; name the modules to check with --import instead",
        name, found.name, found.version, ft,
        found.skipped.empty() ? std::string()
                              : fmt::format("; left out: {}", fmt::join(found.skipped, ", "))));
  report::CheckedDistribution out{found.name, found.version, {}};
  for (const auto& module : found.modules) out.modules.push_back(module.module);
  print_stderr(fmt::format("gilguard: distribution {} {}: {} extension module{}: {}\n", out.name,
                           out.version, out.modules.size(), out.modules.size() == 1 ? "" : "s",
                           fmt::join(out.modules, ", ")));
  return out;
}

// The step outputs of `gilguard imports`: verdict (pass or failed-check), failed-checks and the
// modules checked, one a line.
std::vector<github::Output> import_outputs(const report::ImportReport& report) {
  std::string modules;
  for (const auto& check : report.imports) modules += (modules.empty() ? "" : "\n") + check.module;
  return {{"verdict", report.failures.empty() ? "pass" : "failed-check"},
          {"failed-checks", std::to_string(report.failures.size())},
          {"modules", modules}};
}

// Inside GitHub Actions: the step summary, the outputs and the annotations (last, on stdout).
void publish(const report::ImportReport& report, const util::Environment& env) {
  const auto ctx = value_or_throw(github::read_context(env, std::string()),
                                  "reading the GitHub Actions environment");
  std::vector<std::string> problems;
  if (!ctx.step_summary_path.empty())
    if (auto ok = github::append_step_summary(ctx.step_summary_path,
                                              report::render_import_summary(report));
        !ok)
      problems.push_back(ok.error().message);
  if (!ctx.output_path.empty())
    if (auto ok = github::append_outputs(ctx.output_path, import_outputs(report)); !ok)
      problems.push_back(ok.error().message);
  auto findings = report::import_findings(report);
  for (const auto& problem : problems)
    findings.push_back(
        {report::Severity::error, 0, 0, "gilguard could not write its report", problem});
  report::rank_findings(findings);
  std::cout << report::render_annotations(findings) << std::flush;
  if (!problems.empty())
    throw usage_error("writing the GitHub Actions report: " + problems.front());
}

ExitCode run_imports(const ImportsOptions& options) {
  auto modules = python::parse_import_list(options.imports);
  for (const auto& name : options.distributions)
    if (!python::is_distribution_name(name))
      throw usage_error(fmt::format(
          "--distribution {}: not a distribution name; pass the name pip installs it by, such "
          "as --distribution numpy (letters, digits, '.', '_' and '-')",
          name));
  if (modules.empty() && options.distributions.empty())
    throw usage_error(
        "nothing to check: pass --distribution NAME (every compiled extension module the "
        "installed distribution ships) or --import MODULE (repeatable)");
  const auto env = util::current_environment();
  std::string ft = options.ft;
  if (ft.empty())
    if (const auto it = env.find("GILGUARD_PYTHON_FT"); it != env.end()) ft = it->second;
  if (ft.empty())
    throw usage_error(
        "no free-threaded interpreter: pass --ft PY (the interpreter or venv python the package "
        "is installed in) or set GILGUARD_PYTHON_FT");

  const auto facts = value_or_throw(python::probe(ft),
                                    fmt::format("probing the free-threaded interpreter {}", ft));
  report::ImportReport report;
  report.ft_python = ft;
  warn_about_gil_override(env);
  if (auto wrong = measure::check_free_threaded(facts)) {
    report.failures.push_back(std::move(*wrong));
  } else {
    // Exactly what the benchmark's children get: the allow-listed environment, PYTHON_GIL as -X.
    const auto child_env = measure::child_environment(env);
    std::optional<std::string> gil_override;
    if (const auto it = child_env.find("PYTHON_GIL"); it != child_env.end())
      gil_override = it->second;
    for (const auto& name : options.distributions) {
      report.distributions.push_back(discover(ft, name, child_env));
      for (const auto& module : report.distributions.back().modules)
        if (std::find(modules.begin(), modules.end(), module) == modules.end())
          modules.push_back(module);
    }
    measure::RunHooks hooks;
    hooks.probe_import = [&](const std::string& module, std::chrono::milliseconds timeout) {
      return python::probe_import(ft, module, child_env, gil_override, timeout);
    };
    hooks.imported = print_import;
    auto probed = measure::probe_imports(modules, ft, hooks, python::k_import_timeout,
                                         python::k_imports_time_limit);
    report.imports = std::move(probed.imports);
    report.failures = std::move(probed.failures);
  }

  print_defused(stdout, report::render_import_text(report));
  std::fflush(stdout);
  if (github::in_actions(env)) publish(report, env);
  return report.failures.empty() ? ExitCode::ok : ExitCode::regression;
}

}  // namespace

void add_imports_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "imports",
      "The import check alone, in seconds and without rounds: import each module in a fresh\n"
      "free-threaded process (isolated, -I) and check that the GIL stays disabled. With\n"
      "--distribution NAME the modules are every compiled extension module the installed\n"
      "distribution ships (its file list, read with importlib.metadata in --ft, kept where the\n"
      "suffix is one of importlib.machinery.EXTENSION_SUFFIXES). Prints a line per module;\n"
      "inside GitHub Actions also annotations, the job summary and the outputs verdict,\n"
      "failed-checks and modules. Exit 0 every module keeps the GIL disabled, 1 one turns it on\n"
      "or fails to import (or --ft has the GIL), 2 usage or tool error (an unknown\n"
      "distribution among them).");
  auto options = std::make_shared<ImportsOptions>();
  sub->add_option("--ft", options->ft,
                  "The free-threaded CPython the package is installed in (a venv's bin/python "
                  "too): a path, or a name looked up on PATH (default: GILGUARD_PYTHON_FT)")
      ->type_name("PY");
  sub->add_option("--import", options->imports,
                  "A module to check (repeatable, or a comma-separated list)")
      ->type_name("MODULE");
  sub->add_option("--distribution", options->distributions,
                  "An installed distribution (repeatable) whose compiled extension modules are "
                  "all checked, found from its file list; one not installed in --ft is an error")
      ->type_name("NAME");
  sub->callback([&action, options] { action = [options] { return run_imports(*options); }; });
}

}  // namespace gilguard::cli
