#pragma once

#include <array>
#include <string>

namespace gilguard::util {

// The CPU model name from /proc/cpuinfo ("model name", else "Hardware"/"Processor"), or
// "unknown".
std::string cpu_model();

// Online logical CPUs (sysconf), at least 1.
int logical_cpus();

// CPUs this process may run on (sched_getaffinity), falling back to logical_cpus().
int usable_cpus();

// What uname reports: OS name in lower case ("linux"), machine ("x86_64"), release ("6.1.0").
struct SystemName {
  std::string os;
  std::string arch;
  std::string kernel;
};

// uname(2), with "unknown" for anything it cannot tell.
SystemName system_name();

// The 1, 5 and 15 minute load averages (getloadavg), zeros when unavailable.
std::array<double, 3> load_average();

}  // namespace gilguard::util
