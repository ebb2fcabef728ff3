#include "gilguard/measure/profile.hpp"

#include <gtest/gtest.h>

namespace gilguard::measure {
namespace {

// perf script -F pid,tid,ip,sym of a recording with call graphs: the child 100 (its main thread
// and a worker thread 101) and a forked worker process 102.
constexpr const char* k_script =
    "     100/100   \n"
    "\t    55d5c1a2b3c4 _PyEval_EvalFrameDefault\n"
    "\t    55d5c1a2b000 main\n"
    "\n"
    "     100/101   \n"
    "\t    55d5c1a2b3c4 long_mod\n"
    "\t    7f0000001000 py::is_prime:<string>\n"
    "\t    55d5c1a2b000 _PyEval_EvalFrameDefault\n"
    "\n"
    "     100/101   \n"
    "\t    55d5c1a2b3c4 long_mod\n"
    "\n"
    "     100/101   \n"
    "\t    55d5c1a2b3c5 _PyEval_EvalFrameDefault\n"
    "\t    7f0000001000 py::is_prime:<string>\n"
    "\n"
    "     102/102   \n"
    "\t    55d5c1a2b3c5 _PyEval_EvalFrameDefault\n"
    "\t    7f0000001000 py::is_prime:<string>\n"
    "\n"
    "     102/102   \n"
    "\t    55d5c1a2b3c4 long_mod\n";

TEST(Profile, SamplesAreSplitIntoTheThreadsAndTheProcessesWithoutTheMainThread) {
  RegionSamples samples;
  count_perf_script(k_script, samples);
  EXPECT_EQ(samples.pids, (std::vector<int>{100, 102}));
  EXPECT_EQ(samples.threads.samples, 3);
  EXPECT_EQ(samples.threads.native["long_mod"], 2);
  EXPECT_EQ(samples.threads.native["_PyEval_EvalFrameDefault"], 1);
  EXPECT_EQ(samples.threads.python_samples, 2);
  EXPECT_EQ(samples.threads.python["py::is_prime:<string>"], 2);
  EXPECT_EQ(samples.processes.samples, 2);
  EXPECT_EQ(samples.processes.native["long_mod"], 1);
  EXPECT_FALSE(samples.threads.native.contains("main"));
}

TEST(Profile, TheFunctionsWhoseShareGrewMostComeFirst) {
  RegionSamples samples;
  count_perf_script(k_script, samples);
  const auto grown = stats::grown_functions(samples.threads, samples.processes);
  ASSERT_FALSE(grown.empty());
  // long_mod: 2 of 3 thread samples against 1 of 2 process samples.
  EXPECT_EQ(grown.front().name, "long_mod");
  EXPECT_NEAR(grown.front().threads, 2.0 / 3, 1e-12);
  EXPECT_NEAR(grown.front().processes, 0.5, 1e-12);
  // The eval loop's share fell (1/3 against 1/2): not listed.
  for (const auto& f : grown) EXPECT_NE(f.name, "_PyEval_EvalFrameDefault");
}

}  // namespace
}  // namespace gilguard::measure
