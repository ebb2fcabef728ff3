#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// The processor as /proc/cpuinfo names it (first CPU's block), plus the cache sizes sysfs lists.
struct CpuInfo {
  std::string vendor;
  std::string family;
  std::string model;
  std::string stepping;
  std::string model_name;
  std::string microcode;
  std::string caches;
};

// Parses the text of /proc/cpuinfo (vendor_id, cpu family, model, stepping, model name,
// microcode of the first block); missing fields stay empty.
CpuInfo parse_cpuinfo(std::string_view cpuinfo);

// This machine's processor: parse_cpuinfo of /proc/cpuinfo and the caches of cpu0 from
// /sys/devices/system/cpu/cpu0/cache ("L1d 48K, L1i 32K, L2 2048K, L3 266240K").
CpuInfo cpu_info();

// The CPUs this process may run on (sched_getaffinity), ascending; empty when unknown.
std::vector<int> affinity_cpus();

// Physical cores and SMT threads per core among `cpus`, from sysfs topology (package id and
// core id per CPU); zeros when sysfs does not tell.
struct CoreCount {
  int cores = 0;
  int threads_per_core = 0;
};
CoreCount physical_cores(const std::vector<int>& cpus);

// A cgroup v2 `cpu.max` text ("150000 100000", "max 100000") as CPUs; nullopt for "max".
std::optional<double> parse_cpu_max(std::string_view text);

// A cgroup v1 quota and period (cpu.cfs_quota_us, cpu.cfs_period_us) as CPUs; nullopt for -1.
std::optional<double> parse_cfs_quota(std::string_view quota, std::string_view period);

// The CPU limit of this process's cgroup and its ancestors (the smallest), from /proc/self/cgroup
// and the v2 cpu.max or v1 cpu.cfs_quota_us files; nullopt when there is none or it is unknown.
std::optional<double> cgroup_cpu_quota();

// Steal time so far, seconds of all CPUs together (/proc/stat, USER_HZ ticks); nullopt unknown.
std::optional<double> steal_seconds();

// One machine instance: the first 16 hex digits of SHA-256 over /proc/sys/kernel/random/boot_id
// and /etc/machine-id (a fresh VM boots with a fresh boot_id); "unknown" when neither exists.
std::string machine_identity();

}  // namespace gilguard::util
