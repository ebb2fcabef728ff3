#include "gilguard/util/machine.hpp"

#include <gtest/gtest.h>

namespace gilguard::util {
namespace {

TEST(Machine, ParsesTheFirstProcessorOfCpuinfo) {
  const std::string text =
      "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n"
      "model name\t: AMD EPYC 9V74 80-Core Processor\nstepping\t: 1\nmicrocode\t: 0x1000065\n"
      "\nprocessor\t: 1\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 106\n";
  const CpuInfo info = parse_cpuinfo(text);
  EXPECT_EQ(info.vendor, "AuthenticAMD");
  EXPECT_EQ(info.family, "25");
  EXPECT_EQ(info.model, "17");  // not "model name", not the second block's 106
  EXPECT_EQ(info.stepping, "1");
  EXPECT_EQ(info.model_name, "AMD EPYC 9V74 80-Core Processor");
  EXPECT_EQ(info.microcode, "0x1000065");
}

TEST(Machine, MissingCpuinfoFieldsStayEmpty) {
  const CpuInfo info = parse_cpuinfo("processor\t: 0\nHardware\t: BCM2835\n");
  EXPECT_EQ(info.vendor, "");
  EXPECT_EQ(info.model, "");
}

TEST(Machine, ReadsCgroupV2CpuMax) {
  EXPECT_DOUBLE_EQ(parse_cpu_max("150000 100000\n").value(), 1.5);
  EXPECT_DOUBLE_EQ(parse_cpu_max("200000 100000").value(), 2.0);
  EXPECT_FALSE(parse_cpu_max("max 100000\n").has_value());
  EXPECT_FALSE(parse_cpu_max("").has_value());
  EXPECT_FALSE(parse_cpu_max("abc 100000").has_value());
}

TEST(Machine, ReadsCgroupV1CfsQuota) {
  EXPECT_DOUBLE_EQ(parse_cfs_quota("150000\n", "100000\n").value(), 1.5);
  EXPECT_FALSE(parse_cfs_quota("-1\n", "100000\n").has_value());
  EXPECT_FALSE(parse_cfs_quota("50000", "0").has_value());
}

TEST(Machine, ThisMachineHasAnIdentityAndCores) {
  const std::string id = machine_identity();
  ASSERT_FALSE(id.empty());
  if (id != "unknown") {
    EXPECT_EQ(id.size(), 16U);
    EXPECT_EQ(id, machine_identity());  // stable within one boot
  }
  const auto cpus = affinity_cpus();
  ASSERT_FALSE(cpus.empty());
  const CoreCount cores = physical_cores(cpus);
  if (cores.cores > 0) {
    EXPECT_LE(cores.cores, static_cast<int>(cpus.size()));
    EXPECT_EQ(cores.cores * cores.threads_per_core, static_cast<int>(cpus.size()));
  }
}

}  // namespace
}  // namespace gilguard::util
