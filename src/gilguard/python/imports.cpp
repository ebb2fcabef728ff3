#include "gilguard/python/imports.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "gilguard/core/error.hpp"
#include "gilguard/python/gil_messages.hpp"
#include "gilguard/python/probe_run.hpp"

namespace gilguard::python {
namespace {

// Written for gilguard. Start-up (site, .pth files, sitecustomize) is over when the script runs;
// the stderr marker separates what CPython printed then from what the import printed. Its lines
// go to the report channel gilguard names (GILGUARD_REPORT_FD), taken over before the import
// (the variable removed, the descriptor close-on-exec), so that what the module prints on stdout
// is never taken for them; without the variable (by hand), to stdout.
constexpr std::string_view k_script = R"PY(
import importlib
import os
import sys
import traceback


def channel():
    announced = os.environ.pop("GILGUARD_REPORT_FD", None)
    if announced is None:
        return sys.stdout
    os.set_inheritable(int(announced), False)
    return os.fdopen(int(announced), "w")


OUT = channel()


def say(key, value=""):
    OUT.write("gilguard-import %s %s\n" % (key, " ".join(str(value).splitlines())))


def gil_state():
    probe = getattr(sys, "_is_gil_enabled", None)
    if probe is None:
        return "none"
    return "1" if probe() else "0"


name, keep = sys.argv[1], int(sys.argv[2])
flag = getattr(sys.flags, "gil", None)
say("gil-flag", "none" if flag is None else flag)
say("gil-before", gil_state())
OUT.flush()
sys.stderr.write("gilguard-import: start-up done, importing %s\n" % name)
sys.stderr.flush()
try:
    importlib.import_module(name)
except BaseException:
    lines = traceback.format_exc().splitlines()
    say("gil-after", gil_state())
    for line in lines[-keep:]:
        say("error", line)
else:
    say("gil-after", gil_state())
    say("imported")
OUT.flush()
)PY";

constexpr std::string_view k_line_prefix = "gilguard-import ";
constexpr std::string_view k_stderr_marker = "gilguard-import: start-up done";

bool is_identifier_start(unsigned char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

bool is_identifier_char(unsigned char c) {
  return is_identifier_start(c) || (c >= '0' && c <= '9');
}

std::optional<bool> gil_state(const std::string& value) {
  if (value == "1") return true;
  if (value == "0") return false;
  return std::nullopt;
}

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& names) {
  for (const auto& name : names)
    if (std::find(to.begin(), to.end(), name) == to.end()) to.push_back(name);
}

// Modules CPython named as needing the GIL in `stderr_part`: -v lines, then RuntimeWarnings.
std::vector<std::string> gil_modules(std::string_view stderr_part) {
  auto modules = verbose_gil_modules(stderr_part);
  for (const auto& warning : gil_warnings_in_stderr(stderr_part))
    if (const auto module = module_in_gil_warning(warning)) add_unique(modules, {*module});
  return modules;
}

std::string trim_end(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

bool is_module_name(std::string_view name) {
  bool at_start = true;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '.') {
      if (at_start) return false;
      at_start = true;
    } else if (at_start ? is_identifier_start(c) : is_identifier_char(c)) {
      at_start = false;
    } else {
      return false;
    }
  }
  return !at_start;
}

std::vector<std::string> parse_import_list(const std::vector<std::string>& values) {
  std::vector<std::string> modules;
  for (const auto& value : values) {
    std::size_t pos = 0;
    while (pos <= value.size()) {
      auto end = value.find_first_of(",\n", pos);
      if (end == std::string::npos) end = value.size();
      auto item = value.substr(pos, end - pos);
      const auto first = item.find_first_not_of(" \t\r");
      item = first == std::string::npos
                 ? std::string()
                 : item.substr(first, item.find_last_not_of(" \t\r") - first + 1);
      pos = end + 1;
      if (item.empty()) continue;
      if (!is_module_name(item))
        throw usage_error(fmt::format(
            "--import {}: '{}' is not a module name; pass a name as Python imports it, such as "
            "--import numpy or --import package.module (several: repeat --import, or separate "
            "them with commas)",
            value, item));
      add_unique(modules, {item});
    }
  }
  return modules;
}

std::string_view import_probe_script() { return k_script; }

std::vector<std::string> import_probe_argv(const std::filesystem::path& python,
                                           const std::string& module,
                                           const std::optional<std::string>& gil_override) {
  // -q: -v would print the version banner too, which is no -v line without_verbose_lines drops.
  std::vector<std::string> argv{python.string(), "-I", "-q", "-v"};
  if (gil_override) {
    argv.emplace_back("-X");
    argv.push_back("gil=" + *gil_override);
  }
  argv.emplace_back("-c");
  argv.emplace_back(k_script);
  argv.push_back(module);
  argv.push_back(std::to_string(k_import_error_lines));
  return argv;
}

ImportCheck read_import_probe(const std::string& module, const util::ProcessResult& run) {
  ImportCheck check;
  check.module = module;
  std::vector<std::string> error_lines;
  bool imported = false;
  bool finished = false;
  std::size_t pos = 0;
  const std::string_view out = run.report_text;
  while (pos < out.size()) {
    auto end = out.find('\n', pos);
    if (end == std::string_view::npos) end = out.size();
    const auto line = out.substr(pos, end - pos);
    pos = end + 1;
    if (!line.starts_with(k_line_prefix)) continue;
    const auto rest = line.substr(k_line_prefix.size());
    const auto space = rest.find(' ');
    const auto key = rest.substr(0, space);
    const std::string value(space == std::string_view::npos ? std::string_view()
                                                            : rest.substr(space + 1));
    if (key == "gil-flag") {
      check.gil_flag = value == "none" ? "" : value;
    } else if (key == "gil-before") {
      check.gil_before = gil_state(value);
    } else if (key == "gil-after") {
      check.gil_after = gil_state(value);
      finished = true;
    } else if (key == "error") {
      error_lines.push_back(value);
    } else if (key == "imported") {
      imported = true;
    }
  }

  const std::string_view err = run.stderr_text;
  const auto marker = err.find(k_stderr_marker);
  const auto startup = err.substr(0, marker);
  check.startup_gil_modules = gil_modules(startup);
  if (marker != std::string_view::npos) check.import_gil_modules = gil_modules(err.substr(marker));

  if (imported && finished && run.success()) {
    check.imported = true;
    return check;
  }
  if (!error_lines.empty()) {
    for (const auto& line : error_lines) check.error += line + "\n";
    check.error = trim_end(std::move(check.error));
    return check;
  }
  const auto tail = trim_end(util::tail_lines(without_verbose_lines(err), k_import_error_lines));
  check.error = unfinished_probe(run, "the import finished", tail);
  return check;
}

ImportCheck probe_import(const std::filesystem::path& python, const std::string& module,
                         const util::Environment& env,
                         const std::optional<std::string>& gil_override,
                         std::chrono::milliseconds timeout) {
  const auto run =
      run_reporting_probe(import_probe_argv(python, module, gil_override), env, timeout);
  if (!run) {
    ImportCheck check;
    check.module = module;
    check.error = fmt::format("could not start {}: {}", python.string(), run.error().message);
    return check;
  }
  return read_import_probe(module, *run);
}

}  // namespace gilguard::python
