#include "gilguard/python/probe.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <string_view>

#include "gilguard/baseline/facts_codec.hpp"
#include "gilguard/python/environment.hpp"
#include "gilguard/util/process.hpp"

namespace gilguard::python {
namespace {

// Marks the facts line, so stray output (a noisy sitecustomize, say) cannot be mistaken for it.
constexpr std::string_view k_marker = "GILGUARD-FACTS ";

// Asks the GIL state first, before any import could re-enable it; prints one marked JSON line.
constexpr std::string_view k_snippet = R"PY(import sys
_gil = getattr(sys, "_is_gil_enabled", None)
_gil = None if _gil is None else bool(_gil())
import json, os, platform, sysconfig
_n = os.cpu_count() or 0
try:
    _u = len(os.sched_getaffinity(0))
except (AttributeError, OSError):
    _u = _n
print("GILGUARD-FACTS " + json.dumps({
    "path": sys.argv[1],
    "executable": os.path.realpath(sys.executable),
    "version": platform.python_version(),
    "implementation": sys.implementation.name,
    "py_gil_disabled": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "gil_enabled_at_start": _gil,
    "config_args": sysconfig.get_config_var("CONFIG_ARGS") or "",
    "platform": sysconfig.get_platform(),
    "logical_cpus": _n,
    "usable_cpus": _u,
}))
)PY";

constexpr std::string_view k_what_to_do =
    "pass the path of a CPython 3 interpreter (e.g. /usr/bin/python3.13), or build one with "
    "`gilguard build --source PATH`";

// The single line of `text` that starts with the marker, without it.
std::optional<std::string_view> facts_line(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const auto line = text.substr(pos, end - pos);
    if (line.starts_with(k_marker)) return line.substr(k_marker.size());
    pos = end + 1;
  }
  return std::nullopt;
}

std::string indent_tail(const std::string& text) {
  const auto tail = util::tail_lines(text, 10);
  if (tail.empty()) return "";
  std::string out = "\n  its stderr ends with:";
  std::size_t pos = 0;
  while (pos <= tail.size()) {
    auto end = tail.find('\n', pos);
    if (end == std::string::npos) end = tail.size();
    out += "\n    " + tail.substr(pos, end - pos);
    pos = end + 1;
  }
  return out;
}

}  // namespace

Expected<InterpreterFacts> probe(const std::filesystem::path& python,
                                 std::chrono::milliseconds timeout) {
  const std::string given = python.string();
  const util::Environment env = minimal_environment(util::current_environment());

  std::filesystem::path resolved = python;
  if (given.find('/') == std::string::npos) {
    const auto found = util::find_on_path(given, env);
    if (!found) return fail(fmt::format("{}: not found on PATH; {}", given, k_what_to_do));
    resolved = *found;
  }
  std::error_code ec;
  const auto status = std::filesystem::status(resolved, ec);
  if (!std::filesystem::exists(status))
    return fail(fmt::format("{}: no such file; {}", given, k_what_to_do));
  if (std::filesystem::is_directory(status))
    return fail(fmt::format("{}: is a directory, not an interpreter; {}", given, k_what_to_do));
  if (::access(resolved.c_str(), X_OK) != 0)
    return fail(fmt::format("{}: is not executable; make it executable (chmod +x) or {}", given,
                            k_what_to_do));

  util::ProcessOptions options;
  options.timeout = timeout;
  options.max_capture_bytes = 1024 * 1024;
  auto run = util::run_process({resolved.string(), "-I", "-c", std::string(k_snippet), given}, env,
                               options);
  if (!run)
    return fail(fmt::format("{}: {}; is it a Python interpreter? {}", given, run.error().message,
                            k_what_to_do));
  if (run->timed_out)
    return fail(fmt::format(
        "{}: did not report its facts within {:.1f} s and was killed; check that it starts "
        "(try `{} -I -c pass`), or {}",
        given, static_cast<double>(timeout.count()) / 1000.0, given, k_what_to_do));
  if (!run->success())
    return fail(
        fmt::format("{}: failed when asked for its facts ({}); it does not look like a "
                    "working Python 3 interpreter; {}{}",
                    given, run->describe(), k_what_to_do, indent_tail(run->stderr_text)));
  const auto line = facts_line(run->stdout_text);
  if (!line)
    return fail(
        fmt::format("{}: ran but printed no interpreter facts, so it is not a Python "
                    "interpreter (or not Python 3); {}",
                    given, k_what_to_do));
  auto facts = baseline::facts_from_json_text(*line);
  if (!facts)
    return fail(fmt::format("{}: printed facts gilguard cannot read ({}); {}", given,
                            facts.error().message, k_what_to_do));
  return facts;
}

}  // namespace gilguard::python
