#include "gilguard/measure/profile.hpp"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>

#include "gilguard/measure/executor.hpp"
#include "gilguard/util/process.hpp"

namespace gilguard::measure {
namespace {

// Where perf is: on PATH, else /usr/bin/perf; empty when neither.
std::filesystem::path find_perf() {
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest(path);
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      const std::filesystem::path candidate = std::filesystem::path(rest.substr(0, colon)) / "perf";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  if (::access("/usr/bin/perf", X_OK) == 0) return "/usr/bin/perf";
  return {};
}

bool parse_int(std::string_view text, int& out) {
  const auto [last, code] = std::from_chars(text.data(), text.data() + text.size(), out);
  return code == std::errc() && last == text.data() + text.size();
}

// "  12345/12346 ..." -> pid, tid and the rest of the line; false for other lines.
bool sample_header(std::string_view line, int& pid, int& tid, std::string_view& rest) {
  if (line.empty() || line.front() == '\t') return false;
  const auto start = line.find_first_not_of(' ');
  if (start == std::string_view::npos) return false;
  const auto slash = line.find('/', start);
  if (slash == std::string_view::npos) return false;
  auto end = line.find_first_of(" \t", slash);
  if (end == std::string_view::npos) end = line.size();
  if (!parse_int(line.substr(start, slash - start), pid) ||
      !parse_int(line.substr(slash + 1, end - slash - 1), tid))
    return false;
  rest = line.substr(end);
  return true;
}

// "\t    55d5c1a2b3c4 long_mod" -> "long_mod"; empty for other lines.
std::string_view frame_symbol(std::string_view line) {
  const auto start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) return {};
  line.remove_prefix(start);
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return {};
  if (line.substr(0, space).find_first_not_of("0123456789abcdef") != std::string_view::npos)
    return {};
  auto symbol = line.substr(space + 1);
  // perf appends " (the object)" to a frame when asked for dso; without it the symbol is alone.
  if (const auto paren = symbol.rfind(" ("); paren != std::string_view::npos)
    symbol = symbol.substr(0, paren);
  while (!symbol.empty() && symbol.back() == ' ') symbol.remove_suffix(1);
  return symbol;
}

struct Pending {
  stats::FunctionSamples* side = nullptr;
  std::string leaf;
  std::string python;
};

void flush(Pending& sample) {
  if (sample.side == nullptr) {
    sample = Pending{};
    return;
  }
  auto& side = *sample.side;
  side.samples += 1;
  side.native[sample.leaf.empty() ? "[unknown]" : sample.leaf] += 1;
  if (!sample.python.empty()) {
    side.python_samples += 1;
    side.python[sample.python] += 1;
  }
  sample = Pending{};
}

}  // namespace

void count_perf_script(std::string_view text, RegionSamples& into) {
  int child = 0;
  Pending sample;
  bool in_sample = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    int pid = 0;
    int tid = 0;
    std::string_view rest;
    if (sample_header(line, pid, tid, rest)) {
      flush(sample);
      in_sample = true;
      if (child == 0) child = pid;
      if (std::find(into.pids.begin(), into.pids.end(), pid) == into.pids.end())
        into.pids.push_back(pid);
      sample.side = pid != child ? &into.processes : tid != pid ? &into.threads : nullptr;
      // Without call graphs the leaf is on the header line itself.
      const auto symbol = frame_symbol(rest);
      if (!symbol.empty()) sample.leaf = std::string(symbol);
      continue;
    }
    if (!in_sample) continue;
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      flush(sample);
      in_sample = false;
      continue;
    }
    const auto symbol = frame_symbol(line);
    if (symbol.empty()) continue;
    if (sample.leaf.empty()) sample.leaf = std::string(symbol);
    if (sample.python.empty() && symbol.starts_with("py::")) sample.python = std::string(symbol);
  }
  flush(sample);
}

SamplingOutcome sample_functions(const std::filesystem::path& ft_python,
                                 const workload::WorkloadSpec& workload, std::int64_t range,
                                 int threads, int children) {
  SamplingOutcome out;
  const auto perf = find_perf();
  if (perf.empty()) {
    out.note = "Sampling did not run: perf is not installed (apt-get install linux-perf).";
    return out;
  }
  char pattern[] = "/tmp/gilguard-perf-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    out.note = "Sampling did not run: no temporary directory for perf's data.";
    return out;
  }
  const std::filesystem::path dir(pattern);
  ChildRequest request;
  request.range = range;
  request.threads = threads;
  request.reference = true;
  auto argv = workload_child_argv(ft_python, Flavor::ft, request, std::nullopt, {}, workload);
  // CPython's perf map support: its Python frames appear in perf's call graphs.
  argv.insert(argv.begin() + 1, {"-X", "perf"});
  util::ProcessOptions options;
  options.timeout = std::chrono::minutes(2);
  const util::Environment env{{"PATH", "/usr/bin:/bin"}};
  RegionSamples samples;
  std::string failure;
  for (int i = 0; i < children && failure.empty(); ++i) {
    const auto data = (dir / fmt::format("perf-{}.data", i)).string();
    std::vector<std::string> record{perf.string(), "record", "-q", "-e", "cpu-clock", "-F",
                                    "1999",        "-g",     "-o", data, "--"};
    record.insert(record.end(), argv.begin(), argv.end());
    const auto ran = util::run_process(record, env, options);
    if (!ran || !ran->success()) {
      const std::string why = ran ? ran->stderr_text : ran.error().message;
      failure = why.substr(0, why.find('\n'));
      if (failure.empty() && ran) failure = ran->describe();
      break;
    }
    const auto script = util::run_process(
        {perf.string(), "script", "-i", data, "-F", "pid,tid,ip,sym"}, env, options);
    if (!script || !script->success()) {
      failure = script ? script->stderr_text.substr(0, script->stderr_text.find('\n'))
                       : script.error().message;
      break;
    }
    count_perf_script(script->stdout_text, samples);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  for (const int pid : samples.pids)
    std::filesystem::remove(fmt::format("/tmp/perf-{}.map", pid), ignored);
  if (!failure.empty()) {
    out.note = fmt::format(
        "Sampling could not run here: perf said \"{}\". On GitHub's runners `sudo sysctl "
        "kernel.perf_event_paranoid=1` lets it sample.",
        failure);
    return out;
  }
  if (samples.threads.samples < 1 || samples.processes.samples < 1) {
    out.note = "Sampling found no samples of the threads or of the processes.";
    return out;
  }
  out.functions = stats::grown_functions(samples.threads, samples.processes);
  out.note = fmt::format(
      "perf sampled {} free-threaded children: {:.0f} samples of the threads, {:.0f} of the "
      "processes.",
      children, samples.threads.samples, samples.processes.samples);
  return out;
}

}  // namespace gilguard::measure
