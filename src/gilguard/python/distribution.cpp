#include "gilguard/python/distribution.hpp"

#include <fmt/format.h>

#include <cctype>

#include "gilguard/python/gil_messages.hpp"
#include "gilguard/python/probe_run.hpp"

namespace gilguard::python {
namespace {

// Written for gilguard. importlib.metadata (Python 3.8+) gives the files a distribution's RECORD
// lists, relative to the directory it was installed into (Distribution.files, locate_file);
// importlib.machinery.EXTENSION_SUFFIXES the suffixes this interpreter loads extension modules
// from (".cpython-314t-x86_64-linux-gnu.so", ".abi3.so" where it applies, ".so"). A shared library
// a package keeps beside its modules ("torch/lib/libtorch.so") has a suffix of that list too, so
// a file counts only when it holds the name of the module's init function, which CPython looks up
// in it at import ("PyInit_" + the last part of the name, NUL-terminated in the symbol table).
constexpr std::string_view k_script = R"PY(
import importlib.machinery
import importlib.metadata
import os
import sys


def channel():
    announced = os.environ.pop("GILGUARD_REPORT_FD", None)
    if announced is None:
        return sys.stdout
    os.set_inheritable(int(announced), False)
    return os.fdopen(int(announced), "w")


OUT = channel()


def say(key, value=""):
    OUT.write("gilguard-dist %s %s\n" % (key, " ".join(str(value).splitlines())))


def defines_init(path, name):
    if not name.isascii():
        return True
    needle = ("PyInit_" + name).encode() + b"\0"
    try:
        with open(path, "rb") as f:
            tail = b""
            while True:
                block = f.read(1 << 20)
                if not block:
                    return False
                if needle in tail + block:
                    return True
                tail = block[-len(needle):]
    except OSError:
        return False


name = sys.argv[1]
try:
    dist = importlib.metadata.distribution(name)
except importlib.metadata.PackageNotFoundError:
    say("unknown")
else:
    say("name", dist.metadata["Name"] or name)
    say("version", dist.version)
    files = dist.files
    if files is not None:
        say("file-list")
        suffixes = sorted(importlib.machinery.EXTENSION_SUFFIXES, key=len, reverse=True)
        for entry in files:
            path = str(entry).replace(os.sep, "/")
            suffix = next((s for s in suffixes if path.endswith(s)), None)
            if suffix is None:
                continue
            parts = path[: -len(suffix)].split("/")
            if parts[-1] == "__init__":
                parts.pop()
            if not parts or not all(p.isidentifier() for p in parts):
                say("skipped", path)
            elif not defines_init(dist.locate_file(entry), parts[-1]):
                say("skipped", path)
            else:
                say("module", "%s %s" % (".".join(parts), path))
say("done")
OUT.flush()
)PY";

constexpr std::string_view k_line_prefix = "gilguard-dist ";
constexpr std::size_t k_error_lines = 6;

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::string_view distribution_script() { return k_script; }

std::vector<std::string> distribution_argv(const std::filesystem::path& python,
                                           const std::string& distribution) {
  return {python.string(), "-I", "-c", std::string(k_script), distribution};
}

Expected<DistributionModules> read_distribution_report(const util::ProcessResult& run) {
  DistributionModules out;
  bool done = false;
  bool known = false;
  std::size_t pos = 0;
  const std::string_view text = run.report_text;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const auto line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.starts_with(k_line_prefix)) continue;
    const auto rest = line.substr(k_line_prefix.size());
    const auto space = rest.find(' ');
    const auto key = rest.substr(0, space);
    const std::string value(space == std::string_view::npos ? std::string_view()
                                                            : rest.substr(space + 1));
    if (key == "name") {
      out.name = value;
      known = true;
    } else if (key == "version") {
      out.version = value;
    } else if (key == "file-list") {
      out.has_file_list = true;
    } else if (key == "module") {
      const auto gap = value.find(' ');
      if (gap == std::string::npos) continue;
      out.modules.push_back({value.substr(0, gap), value.substr(gap + 1)});
    } else if (key == "skipped") {
      out.skipped.push_back(value);
    } else if (key == "done") {
      done = true;
    }
  }
  out.installed = known;
  if (done && run.success()) return out;
  return fail(
      unfinished_probe(run, "it listed the distribution's files",
                       util::tail_lines(without_verbose_lines(run.stderr_text), k_error_lines)));
}

Expected<DistributionModules> discover_distribution(const std::filesystem::path& python,
                                                    const std::string& distribution,
                                                    const util::Environment& env,
                                                    std::chrono::milliseconds timeout) {
  const auto run = run_reporting_probe(distribution_argv(python, distribution), env, timeout);
  if (!run)
    return fail(fmt::format("could not start {}: {}", python.string(), run.error().message));
  return read_distribution_report(*run);
}

bool is_distribution_name(std::string_view name) {
  if (name.empty() || !is_alnum(name.front()) || !is_alnum(name.back())) return false;
  for (const char c : name)
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

}  // namespace gilguard::python
