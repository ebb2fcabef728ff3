#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "gilguard/baseline/facts_codec.hpp"
#include "gilguard/cli/commands.hpp"
#include "gilguard/measure/run_benchmark.hpp"
#include "gilguard/python/probe.hpp"
#include "gilguard/report/format.hpp"

namespace gilguard::cli {

void add_probe_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "probe",
      "Run each Python interpreter once and print what it is, as a JSON array on stdout: path,\n"
      "version, implementation, py_gil_disabled (a free-threaded build), gil_enabled_at_start\n"
      "(sys._is_gil_enabled(), null where it does not exist), configure arguments, platform,\n"
      "logical and usable CPUs. Exit 2 when one is missing, not a Python, or hangs.");
  auto paths = std::make_shared<std::vector<std::string>>();
  auto timeout =
      std::make_shared<double>(static_cast<double>(python::k_probe_timeout.count()) / 1000.0);
  sub->add_option("python", *paths,
                  "Interpreters to probe: paths, or names looked up on PATH (e.g. python3.13t)")
      ->required();
  sub->add_option("--timeout", *timeout,
                  "Seconds each interpreter gets to answer before it is killed")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  sub->callback([&action, paths, timeout] {
    action = [paths, timeout]() -> ExitCode {
      std::vector<InterpreterFacts> all;
      const auto limit = std::chrono::milliseconds(static_cast<long long>(*timeout * 1000.0));
      for (const auto& path : *paths) all.push_back(value_or_throw(python::probe(path, limit), ""));
      fmt::print("{}", baseline::facts_list_to_json_text(all));
      fmt::print(stderr, "gilguard: machine: {}\n",
                 report::describe_machine(measure::current_machine()));
      return ExitCode::ok;
    };
  });
}

}  // namespace gilguard::cli
