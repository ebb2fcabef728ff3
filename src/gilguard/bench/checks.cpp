#include "gilguard/bench/checks.hpp"

#include <fmt/format.h>

#include <map>
#include <regex>
#include <tuple>

#include "gilguard/bench/executor.hpp"

namespace gilguard::bench {
namespace {

std::string cell_name(const Cell& cell) {
  return fmt::format("{}{} interpreter, {} thread{}", cell.side == Side::base ? "base " : "",
                     to_string(cell.flavor), cell.threads, cell.threads == 1 ? "" : "s");
}

// The failure kind of a failed sample ("wrong-count" is decided by mark_wrong_counts).
std::string failure_kind(const Sample& sample) {
  if (sample.failure.starts_with("wrong prime count")) return "wrong-count";
  if (is_timeout(sample)) return "timeout";
  return "crash";
}

std::string advice(const std::string& kind) {
  if (kind == "wrong-count")
    return "The interpreter computed a wrong result: rerun, and if it repeats, treat it as an "
           "interpreter bug.";
  if (kind == "timeout")
    return "The child was killed after its timeout; check that the machine is not overloaded "
           "and that the interpreter does not hang (try a smaller --range).";
  return "The other cells went on; run the interpreter by hand to reproduce the failure.";
}

}  // namespace

void mark_wrong_counts(std::vector<Sample>& samples, std::int64_t expected, std::int64_t range) {
  for (auto& s : samples) {
    const bool reference_ok = s.t_ref <= 0 || s.count_ref == expected;
    if (!s.ok || (s.count_seq == expected && s.count_par == expected && reference_ok)) continue;
    s.ok = false;
    s.failure = fmt::format(
        "wrong prime count: sequential {}, threaded {}{}, but there are {} primes below {}",
        s.count_seq, s.count_par,
        s.t_ref > 0 ? fmt::format(", in processes {}", s.count_ref) : std::string(), expected,
        range);
  }
}

std::optional<std::string> module_reenabling_gil(const std::vector<std::string>& warnings) {
  // CPython 3.13+: "The global interpreter lock (GIL) has been enabled to load module 'x', ..."
  static const std::regex pattern(R"(GIL\)? has been enabled to load module '([^']+)')");
  for (const auto& warning : warnings) {
    std::smatch match;
    if (std::regex_search(warning, match, pattern)) return match[1].str();
  }
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
        cause = fmt::format(
            "module '{}' re-enabled it at import. Use a version of '{}' that declares "
            "free-threading support, or do not import it",
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
                            kind == "wrong-count" ? "wrong result"
                            : kind == "timeout"   ? "child timed out"
                                                  : "child failed",
                            how_often, first.round, first.failure, advice(kind));
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
  if (!ft.gil_disabled_build)
    failures.push_back(
        {"wrong-flavor",
         fmt::format("--{}ft {} (Python {}) is a build with the GIL (Py_GIL_DISABLED=0); pass a "
                     "free-threaded build, such as python{}t or one configured with "
                     "--disable-gil",
                     prefix, ft.path, ft.version, ft.major_minor())});
  return failures;
}

}  // namespace gilguard::bench
