#include "gilguard/python/discover.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <regex>

#include "gilguard/python/build.hpp"

namespace gilguard::python {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_gil_variable = "GILGUARD_PYTHON_GIL";
constexpr std::string_view k_ft_variable = "GILGUARD_PYTHON_FT";

bool is_executable_file(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

std::optional<std::string> variable(const util::Environment& env, std::string_view name) {
  const auto it = env.find(std::string(name));
  if (it == env.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// A given interpreter, checked for existence; `where` says where it was given.
Expected<fs::path> checked(const fs::path& path, const std::string& where,
                           const util::Environment& env) {
  fs::path resolved = path;
  if (path.string().find('/') == std::string::npos) {
    const auto found = util::find_on_path(path.string(), env);
    if (!found)
      return fail(fmt::format("{} {}: not found on PATH; give the interpreter's full path", where,
                              path.string()));
    resolved = *found;
  }
  if (!is_executable_file(resolved))
    return fail(
        fmt::format("{} {}: no such executable file; give the path of an installed "
                    "interpreter, or build one with `gilguard build --source PATH`",
                    where, path.string()));
  return resolved;
}

struct PathPairs {
  std::optional<InterpreterPair> best;
  std::vector<std::string> unmatched;  // "python3.11" seen without python3.11t, and vice versa
};

// The highest minor version with both python3.X and python3.Xt on PATH (first hit of each).
PathPairs find_on_path_pairs(const util::Environment& env) {
  const auto it = env.find("PATH");
  const std::string path = it != env.end() ? it->second : "";
  const std::regex pattern(R"(python3\.(\d+)(t?))");
  std::map<int, std::pair<std::optional<fs::path>, std::optional<fs::path>>> found;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = std::min(path.find(':', start), path.size());
    const fs::path dir = end > start ? path.substr(start, end - start) : ".";
    start = end + 1;
    std::error_code ec;
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(dir, ec)) entries.push_back(entry.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& entry : entries) {
      std::smatch match;
      const std::string name = entry.filename().string();
      if (!std::regex_match(name, match, pattern) || !is_executable_file(entry)) continue;
      auto& slot = found[std::stoi(match[1].str())];
      auto& target = match[2].length() == 0 ? slot.first : slot.second;
      if (!target) target = entry;
    }
  }
  PathPairs out;
  for (auto rit = found.rbegin(); rit != found.rend(); ++rit) {
    const auto& [minor, pair] = *rit;
    if (pair.first && pair.second) {
      if (!out.best)
        out.best = InterpreterPair{*pair.first, *pair.second,
                                   fmt::format("PATH (python3.{0}, python3.{0}t)", minor)};
    } else {
      out.unmatched.push_back(fmt::format("python3.{}{}", minor, pair.first ? "" : "t"));
    }
  }
  return out;
}

// The newest gil/ft pair of finished builds of the same source in `prefix`.
std::optional<InterpreterPair> find_in_build_cache(const fs::path& prefix) {
  auto records = list_complete_builds(prefix);
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.finished_at > b.finished_at; });
  for (const auto& newest : records) {
    for (const auto& partner : records) {
      if (partner.flavor == newest.flavor || partner.source_identity != newest.source_identity)
        continue;
      const auto& gil = newest.flavor == Flavor::gil ? newest : partner;
      const auto& ft = newest.flavor == Flavor::ft ? newest : partner;
      return InterpreterPair{gil.interpreter, ft.interpreter,
                             fmt::format("build cache {}", prefix.string())};
    }
  }
  return std::nullopt;
}

}  // namespace

Expected<InterpreterPair> find_interpreters(const std::optional<fs::path>& gil_option,
                                            const std::optional<fs::path>& ft_option,
                                            const util::Environment& env) {
  // Explicit choices: options first, then the environment, per flavour.
  std::optional<fs::path> gil;
  std::optional<fs::path> ft;
  std::string gil_where;
  std::string ft_where;
  if (gil_option && !gil_option->empty()) {
    gil = *gil_option;
    gil_where = "--gil";
  } else if (const auto value = variable(env, k_gil_variable)) {
    gil = *value;
    gil_where = std::string(k_gil_variable);
  }
  if (ft_option && !ft_option->empty()) {
    ft = *ft_option;
    ft_where = "--ft";
  } else if (const auto value = variable(env, k_ft_variable)) {
    ft = *value;
    ft_where = std::string(k_ft_variable);
  }
  if (gil && ft) {
    auto gil_path = checked(*gil, gil_where, env);
    if (!gil_path) return std::unexpected(gil_path.error());
    auto ft_path = checked(*ft, ft_where, env);
    if (!ft_path) return std::unexpected(ft_path.error());
    const bool options = gil_where == "--gil" && ft_where == "--ft";
    const bool variables = gil_where == k_gil_variable && ft_where == k_ft_variable;
    return InterpreterPair{*gil_path, *ft_path,
                           options ? "options"
                           : variables
                               ? fmt::format("environment ({}, {})", k_gil_variable, k_ft_variable)
                               : fmt::format("{} and {}", gil_where, ft_where)};
  }
  if (gil || ft) {
    const bool have_gil = gil.has_value();
    return fail(fmt::format(
        "{} gives the {} interpreter but nothing gives the {} one; pass {} PATH or set {} too "
        "(the two must be the same Python version)",
        have_gil ? gil_where : ft_where, have_gil ? "GIL" : "free-threaded",
        have_gil ? "free-threaded" : "GIL", have_gil ? "--ft" : "--gil",
        have_gil ? k_ft_variable : k_gil_variable));
  }

  const auto on_path = find_on_path_pairs(env);
  if (on_path.best) return *on_path.best;

  const fs::path prefix = default_build_prefix(env);
  if (auto cached = find_in_build_cache(prefix)) return *cached;

  std::string seen;
  if (!on_path.unmatched.empty()) {
    std::string names;
    for (const auto& name : on_path.unmatched) names += (names.empty() ? "" : ", ") + name;
    seen = fmt::format(" (PATH has {} without its partner)", names);
  }
  return fail(fmt::format(
      "no pair of a GIL and a free-threaded Python found{}. Do one of these:\n"
      "  - pass --gil PATH --ft PATH;\n"
      "  - set {} and {};\n"
      "  - put python3.X and python3.Xt of one version on PATH (e.g. actions/setup-python with "
      "3.14 and 3.14t);\n"
      "  - run `gilguard build --source PATH` once (scripts/find-cpython-source.sh prints a "
      "CPython source tarball); its builds in {} are found here.",
      seen, k_gil_variable, k_ft_variable, prefix.string()));
}

}  // namespace gilguard::python
