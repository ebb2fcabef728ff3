// The test package tests/data/packages/scalepkg, built from source with setuptools for each
// interpreter under test (test::make_package_venv: a venv, pip from ensurepip, setuptools and
// wheel from Debian's wheels, `pip install --no-index --no-build-isolation`): its C extension
// gets the flavour's own suffix (cp3XY, cp3XYt), computes what its C source says, and keeps the
// free-threaded build's GIL off unless it is built without its Py_mod_gil slot.

#include <gtest/gtest.h>

#include <string>

#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;

// mix(i, steps) written again in Python (64-bit arithmetic by masking), to check the extension.
constexpr const char* k_mix_in_python =
    "M = (1 << 64) - 1\n"
    "def mix(i, steps):\n"
    "    x = (i * 0x9E3779B97F4A7C15 + 1) & M\n"
    "    for k in range(steps):\n"
    "        x ^= x >> 33\n"
    "        x = (x * 0xFF51AFD7ED558CCD) & M\n"
    "        x ^= x >> 29\n"
    "        x = (x + k) & M\n"
    "    return x\n";

TEST(ScalePackage, BuildsForEachFlavourWithItsOwnSuffixAndComputesTheSameValues) {
  REQUIRE_INTERPRETERS(interpreters);
  test::TempDir dir;
  std::string values;
  const std::pair<std::string, fs::path> flavours[] = {{"gil", interpreters.gil},
                                                       {"ft", interpreters.ft}};
  for (const auto& [flavour, python] : flavours) {
    const auto venv = test::make_package_venv(python, test::scalepkg_dir(), dir.path() / flavour);
    const std::string suffix = test::python_says(
        python, "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))");
    const std::string module =
        test::python_says(venv.python, "import scalepkg._speedups as s; print(s.__file__)");
    EXPECT_EQ(fs::path(module).parent_path(), venv.site_packages / "scalepkg") << flavour;
    EXPECT_TRUE(module.ends_with("_speedups" + suffix)) << flavour << ": " << module;
    // The free-threaded build's own ABI tag (cpython-3XYt), not the GIL build's.
    EXPECT_EQ(suffix.find("t-") != std::string::npos, flavour == "ft") << suffix;
    const std::string agree = test::python_says(
        venv.python, std::string(k_mix_in_python) +
                         "import scalepkg, scalepkg._speedups as s\n"
                         "ok = all(s.mix(i, n) == mix(i, n) for i in (0, 1, 7, 2**40) "
                         "for n in (0, 1, 5, 100))\n"
                         "print(ok, scalepkg.work(12345) == mix(12345, scalepkg.STEPS) & 0xFFFF)");
    EXPECT_EQ(agree, "True True") << flavour;
    values += test::python_says(venv.python,
                                "import scalepkg; print([scalepkg.work(i) for i in range(5)])") +
              "\n";
    // The build happened in a copy: the package's own directory stays clean.
    EXPECT_FALSE(fs::exists(test::scalepkg_dir() / "build"));
    EXPECT_FALSE(fs::exists(test::scalepkg_dir() / "scalepkg.egg-info"));
  }
  // Both flavours compute the same values.
  const auto newline = values.find('\n');
  EXPECT_EQ(values.substr(0, newline), values.substr(newline + 1, values.size() - newline - 2));
}

TEST(ScalePackage, KeepsTheGilOffUnlessBuiltWithoutItsPyModGilSlot) {
  REQUIRE_INTERPRETERS(interpreters);
  test::TempDir dir;
  constexpr const char* k_probe =
      "import sys, warnings\n"
      "warnings.simplefilter('ignore')\n"
      "import scalepkg\n"
      "print(sys._is_gil_enabled())";
  const auto declared =
      test::make_package_venv(interpreters.ft, test::scalepkg_dir(), dir.path() / "declared");
  EXPECT_EQ(test::python_says(declared.python, k_probe), "False");
  const auto undeclared =
      test::make_package_venv(interpreters.ft, test::scalepkg_dir(), dir.path() / "undeclared",
                              {{"SCALEPKG_NO_MOD_GIL", "1"}});
  EXPECT_EQ(test::python_says(undeclared.python, k_probe), "True");
}

}  // namespace
}  // namespace gilguard
