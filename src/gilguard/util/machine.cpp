#include "gilguard/util/machine.hpp"

#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "gilguard/util/sha256.hpp"

namespace gilguard::util {
namespace {

// The whole file, or nullopt when it cannot be read.
std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::optional<double> to_number(std::string_view text) {
  const std::string s(text);
  char* end = nullptr;
  const double value = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return std::nullopt;
  return value;
}

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// The value of the first "key : value" line of /proc/cpuinfo whose key is `key`.
std::string cpuinfo_field(const std::string& cpuinfo, std::string_view key) {
  std::size_t start = 0;
  while (start < cpuinfo.size()) {
    auto end = cpuinfo.find('\n', start);
    if (end == std::string::npos) end = cpuinfo.size();
    const std::string_view line(cpuinfo.data() + start, end - start);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos && trim(line.substr(0, colon)) == key) {
      auto value = trim(line.substr(colon + 1));
      if (!value.empty()) return value;
    }
    start = end + 1;
  }
  return {};
}

}  // namespace

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  if (!in) return "unknown";
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto* key : {"model name", "Hardware", "Processor", "cpu model", "cpu"}) {
    auto value = cpuinfo_field(text, key);
    if (!value.empty()) return value;
  }
  return "unknown";
}

int logical_cpus() {
  const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  return logical_cpus();
}

SystemName system_name() {
  utsname names{};
  if (::uname(&names) != 0) return {"unknown", "unknown", "unknown"};
  std::string os = names.sysname;
  std::transform(os.begin(), os.end(), os.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return {os, names.machine, names.release};
}

std::array<double, 3> load_average() {
  std::array<double, 3> loads{};
  if (::getloadavg(loads.data(), 3) != 3) return {};
  return loads;
}

CpuInfo parse_cpuinfo(std::string_view cpuinfo) {
  // Only the first processor block: a machine's CPUs are one model.
  const auto blank = cpuinfo.find("\n\n");
  const std::string first(cpuinfo.substr(0, blank));
  CpuInfo info;
  info.vendor = cpuinfo_field(first, "vendor_id");
  info.family = cpuinfo_field(first, "cpu family");
  info.model = cpuinfo_field(first, "model");
  info.stepping = cpuinfo_field(first, "stepping");
  info.model_name = cpuinfo_field(first, "model name");
  info.microcode = cpuinfo_field(first, "microcode");
  return info;
}

CpuInfo cpu_info() {
  CpuInfo info = parse_cpuinfo(read_text("/proc/cpuinfo").value_or(""));
  if (info.model_name.empty()) info.model_name = cpu_model();
  std::error_code ec;
  std::vector<std::string> caches;
  std::map<std::string, std::string> ordered;
  for (const auto& entry :
       std::filesystem::directory_iterator("/sys/devices/system/cpu/cpu0/cache", ec)) {
    if (!entry.path().filename().string().starts_with("index")) continue;
    const auto level = trim(read_text(entry.path() / "level").value_or(""));
    const auto type = trim(read_text(entry.path() / "type").value_or(""));
    const auto size = trim(read_text(entry.path() / "size").value_or(""));
    if (level.empty() || size.empty()) continue;
    const std::string suffix = type == "Data" ? "d" : type == "Instruction" ? "i" : "";
    ordered["L" + level + suffix] = size;
  }
  for (const auto& [name, size] : ordered) {
    if (!info.caches.empty()) info.caches += ", ";
    info.caches += name + " " + size;
  }
  return info;
}

std::vector<int> affinity_cpus() {
  std::vector<int> out;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof(set), &set) != 0) return out;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) out.push_back(cpu);
  return out;
}

CoreCount physical_cores(const std::vector<int>& cpus) {
  std::set<std::pair<std::string, std::string>> cores;
  for (const int cpu : cpus) {
    const std::filesystem::path topology =
        "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology";
    const auto package = read_text(topology / "physical_package_id");
    const auto core = read_text(topology / "core_id");
    if (!package || !core) return {};
    cores.emplace(trim(*package), trim(*core));
  }
  if (cores.empty()) return {};
  const int n = static_cast<int>(cores.size());
  return {n, static_cast<int>(cpus.size()) / n};
}

std::optional<double> parse_cpu_max(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::string quota;
  std::string period;
  if (!(in >> quota >> period) || quota == "max") return std::nullopt;
  const auto q = to_number(quota);
  const auto p = to_number(period);
  if (!q || !p || *q <= 0 || *p <= 0) return std::nullopt;
  return *q / *p;
}

std::optional<double> parse_cfs_quota(std::string_view quota, std::string_view period) {
  const auto q = to_number(trim(quota));
  const auto p = to_number(trim(period));
  if (!q || !p || *q <= 0 || *p <= 0) return std::nullopt;
  return *q / *p;
}

std::optional<double> cgroup_cpu_quota() {
  const auto membership = read_text("/proc/self/cgroup");
  if (!membership) return std::nullopt;
  std::optional<double> limit;
  const auto tighten = [&limit](std::optional<double> value) {
    if (value && (!limit || *value < *limit)) limit = value;
  };
  std::istringstream lines(*membership);
  std::string line;
  while (std::getline(lines, line)) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    std::filesystem::path path = line.substr(second + 1);
    const bool v2 = controllers.empty();
    std::string listed = "," + controllers + ",";
    if (!v2 && listed.find(",cpu,") == std::string::npos) continue;
    const std::filesystem::path root = v2 ? std::filesystem::path("/sys/fs/cgroup")
                                          : std::filesystem::path("/sys/fs/cgroup/" + controllers);
    // The group and each ancestor up to the root: a parent's limit binds the child too.
    for (auto dir = path;; dir = dir.parent_path()) {
      const auto place = root / dir.relative_path();
      if (v2) {
        if (const auto text = read_text(place / "cpu.max")) tighten(parse_cpu_max(*text));
      } else {
        const auto quota = read_text(place / "cpu.cfs_quota_us");
        const auto period = read_text(place / "cpu.cfs_period_us");
        if (quota && period) tighten(parse_cfs_quota(*quota, *period));
      }
      if (dir == dir.parent_path() || dir.empty()) break;
    }
  }
  return limit;
}

std::optional<double> steal_seconds() {
  const auto text = read_text("/proc/stat");
  if (!text) return std::nullopt;
  std::istringstream in(*text);
  std::string label;
  // cpu user nice system idle iowait irq softirq steal
  std::array<double, 8> fields{};
  if (!(in >> label) || label != "cpu") return std::nullopt;
  for (auto& field : fields)
    if (!(in >> field)) return std::nullopt;
  const long ticks = ::sysconf(_SC_CLK_TCK);
  return fields[7] / static_cast<double>(ticks > 0 ? ticks : 100);
}

std::string machine_identity() {
  const auto boot = read_text("/proc/sys/kernel/random/boot_id");
  const auto machine = read_text("/etc/machine-id");
  if (!boot && !machine) return "unknown";
  return sha256_hex("gilguard machine\n" + trim(boot.value_or("")) + "\n" +
                    trim(machine.value_or("")))
      .substr(0, 16);
}

}  // namespace gilguard::util
