#pragma once

#include <array>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gilguard/core/run_result.hpp"

namespace gilguard::test {

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

// Reads a whole file; throws when it cannot.
std::string read_file(const std::filesystem::path& path);

// Writes a whole file, creating parent directories.
void write_file(const std::filesystem::path& path, const std::string& text);

// Runs the git CLI in `dir` with a fixed identity and no user configuration; returns its
// stdout without the final newlines. Throws, with git's stderr, when git fails.
std::string run_git(const std::filesystem::path& dir, std::vector<std::string> args);

// A stand-in CPython tree in `dir`: its configure writes a Makefile whose install puts a fake
// python3.13[t] into the prefix that answers gilguard's probe like a real one would.
// `--fail-if-exists=FILE` makes make fail while FILE exists; `--lie` installs the wrong flavour.
void make_fake_cpython(const std::filesystem::path& dir);

// The built gilguard binary under test.
std::filesystem::path gilguard_binary();

// tests/data in the source tree.
std::filesystem::path data_dir();

// The two real interpreters under test, from GILGUARD_TEST_PYTHON_GIL / GILGUARD_TEST_PYTHON_FT.
struct Interpreters {
  std::filesystem::path gil;
  std::filesystem::path ft;
};

// The interpreters, or nullopt when the variables are unset (callers then GTEST_SKIP, see
// REQUIRE_INTERPRETERS). Under CI (CI set) missing interpreters are a test failure instead.
std::optional<Interpreters> find_test_interpreters();

// A venv of `python` in `dir`, made by its own `-m venv --without-pip` (the interpreter gilguard
// is given is the venv's; packages are written straight into its site-packages).
struct Venv {
  std::filesystem::path python;
  std::filesystem::path site_packages;
};

// Makes the venv; throws, with the command's stderr, when it cannot.
Venv make_venv(const std::filesystem::path& python, const std::filesystem::path& dir);

// The first line `python -I -c CODE` prints; throws, with its stderr, when it fails.
std::string python_says(const std::filesystem::path& python, const std::string& code);

// A C extension module `name` (multi-phase init, one function: answer() returns 42) compiled with
// cc against `python`'s headers into `dir`, named with its EXT_SUFFIX; it declares the
// Py_mod_gil slot Py_MOD_GIL_NOT_USED only when `declares_no_gil`. Returns the module's file;
// throws, with the compiler's stderr, when it cannot be built.
std::filesystem::path build_extension(const std::filesystem::path& python, const std::string& name,
                                      bool declares_no_gil, const std::filesystem::path& dir);

// Where Debian's python3-setuptools-whl, python3-pip-whl and python3-wheel-whl put their wheels:
// the only index the offline package installs use (scripts/install-deps.sh installs them).
inline constexpr const char* k_system_wheels = "/usr/share/python-wheels";

// tests/data/packages/scalepkg: a setuptools package with a C extension, scalepkg._speedups
// (declares Py_mod_gil unless built with SCALEPKG_NO_MOD_GIL=1); work(i) calls into it.
std::filesystem::path scalepkg_dir();

// A venv of `python` in `dir` with pip (from the interpreter's ensurepip), setuptools and wheel
// (from k_system_wheels), and the package in `package_dir` installed offline (`pip install
// --no-index --no-build-isolation`) from a copy of it, so the source tree gets no build files.
// `build_environment` is added to the install's environment (e.g. SCALEPKG_NO_MOD_GIL=1).
// Throws, with pip's output, when it cannot.
Venv make_package_venv(const std::filesystem::path& python,
                       const std::filesystem::path& package_dir, const std::filesystem::path& dir,
                       const std::map<std::string, std::string>& build_environment = {});

// Installs distribution `name` 1.0 into `venv` as pip leaves one: `files` (a path in
// site-packages and the file copied there) and `texts` (a path and the text written there), then
// NAME-1.0.dist-info (NAME with - and . as _) with METADATA and a RECORD that lists every file. No
// build, no index.
void install_distribution(const Venv& venv, const std::string& name,
                          const std::vector<std::pair<std::string, std::filesystem::path>>& files,
                          const std::vector<std::pair<std::string, std::string>>& texts);

// The machine facts a results file of schema 1 held (the later ones stay unknown): a Linux
// x86_64 machine with this CPU, CPU counts, kernel and load averages.
inline MachineFacts linux_machine(std::string cpu_model, int logical_cpus, int usable_cpus,
                                  std::string kernel, std::array<double, 3> load_start = {},
                                  std::array<double, 3> load_end = {}) {
  MachineFacts m;
  m.cpu_model = std::move(cpu_model);
  m.logical_cpus = logical_cpus;
  m.usable_cpus = usable_cpus;
  m.os = "linux";
  m.arch = "x86_64";
  m.kernel = std::move(kernel);
  m.load_start = load_start;
  m.load_end = load_end;
  return m;
}

}  // namespace gilguard::test

// Ends a test that has no interpreters to run with: skipped, or failed under CI (CI set).
#define SKIP_WITHOUT_INTERPRETERS()                                                         \
  do {                                                                                      \
    if (std::getenv("CI") != nullptr)                                                       \
      FAIL() << "GILGUARD_TEST_PYTHON_GIL / GILGUARD_TEST_PYTHON_FT are not set under CI";  \
    GTEST_SKIP() << "set GILGUARD_TEST_PYTHON_GIL and GILGUARD_TEST_PYTHON_FT to run this"; \
  } while (false)

// Declares `interpreters` in a TEST body, or skips (fails under CI) when they are not available.
#define REQUIRE_INTERPRETERS(interpreters)                                      \
  const auto interpreters##_found = ::gilguard::test::find_test_interpreters(); \
  if (!interpreters##_found) SKIP_WITHOUT_INTERPRETERS();                       \
  const auto& interpreters = *interpreters##_found

namespace gilguard::test {}  // namespace gilguard::test
