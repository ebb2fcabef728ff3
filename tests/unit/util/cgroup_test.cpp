// A real cgroup per child where the machine allows one (this kind of machine does, as root):
// its CPU time counts every process the child starts, and everything in it ends with the child,
// including a daemon that left the child's process group.
#include "gilguard/util/cgroup.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "gilguard/util/process.hpp"

namespace gilguard::util {
namespace {

// Gone, or a zombie waiting for init to reap it.
bool ended(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  const std::string text((std::istreambuf_iterator<char>(stat)), {});
  const auto close = text.rfind(')');
  return close == std::string::npos || text.size() <= close + 2 || text[close + 2] == 'Z';
}

TEST(ChildCgroup, CountsTheWholeTreeAndEndsEveryMember) {
  auto cgroup = ChildCgroup::create("unit-test");
  if (!cgroup) GTEST_SKIP() << "no cgroup can be made here: " << cgroup.error().message;
  const double before = cgroup->cpu_seconds().value();
  ProcessOptions options;
  options.cgroup = &*cgroup;
  // The child starts a busy grandchild, waits for it, and leaves a daemon in its own session.
  const auto result =
      run_process({"/bin/sh", "-c",
                   "setsid sleep 60 & "
                   "sh -c 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done'; echo $!"},
                  current_environment(), options);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_TRUE(result->success()) << result->stderr_text;
  const double used = cgroup->cpu_seconds().value() - before;
  // The busy loop ran in a grandchild: the cgroup saw it.
  EXPECT_GT(used, 0.05);
  // The daemon escaped the process group, not the cgroup: it is gone.
  const pid_t daemon = std::stoi(result->stdout_text);
  EXPECT_TRUE(cgroup->members().empty());
  EXPECT_TRUE(ended(daemon)) << "the daemon " << daemon << " still runs";
  EXPECT_FALSE(cgroup->kind().empty());
  EXPECT_TRUE(cgroup->usage_spec().starts_with("cgroup"));
}

TEST(ChildCgroup, IsRemovedWithItsObject) {
  std::string spec;
  {
    auto cgroup = ChildCgroup::create("unit-test-removed");
    if (!cgroup) GTEST_SKIP() << "no cgroup can be made here: " << cgroup.error().message;
    spec = cgroup->usage_spec();
  }
  const std::filesystem::path file = spec.substr(spec.find(':') + 1);
  EXPECT_FALSE(std::filesystem::exists(file.parent_path())) << file;
}

}  // namespace
}  // namespace gilguard::util
