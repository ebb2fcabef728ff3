#include "gilguard/util/machine.hpp"

#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <string_view>

namespace gilguard::util {
namespace {

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

}  // namespace gilguard::util
