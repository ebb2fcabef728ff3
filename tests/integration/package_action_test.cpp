// A package under the action (issue 22, items 1 and 2), step by step on real processes:
// scripts/action/install-package.sh builds the real test package (tests/data/packages/scalepkg,
// a C extension) into a venv of each interpreter under test, offline, with the venv first on
// PATH, and a failed build names the flavour and shows its log's tail; `gilguard checkout` writes
// a revision of a real git repository beside it (the checkout untouched; a shallow clone without
// the revision is told how to get it); scripts/action/package-base.sh does that for the pull
// request's base, fetching the one commit a shallow clone lacks.

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gilguard/util/process.hpp"
#include "support/test_util.hpp"

namespace gilguard {
namespace {

namespace fs = std::filesystem;

fs::path repo_root() { return test::data_dir().parent_path().parent_path(); }

std::string output_of(const util::ProcessResult& r) {
  return r.describe() + "\n--- stdout\n" + r.stdout_text + "--- stderr\n" + r.stderr_text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

util::ProcessResult run(const std::vector<std::string>& argv, const util::Environment& env,
                        const fs::path& cwd) {
  util::ProcessOptions options;
  options.working_directory = cwd;
  options.timeout = std::chrono::seconds(600);
  auto result = util::run_process(argv, env, options);
  if (!result) throw std::runtime_error("cannot start " + argv[0] + ": " + result.error().message);
  return *result;
}

// "name=value" lines of a GITHUB_OUTPUT file.
std::map<std::string, std::string> outputs_in(const fs::path& file) {
  std::map<std::string, std::string> out;
  if (!fs::exists(file)) return out;
  std::istringstream lines(test::read_file(file));
  for (std::string line; std::getline(lines, line);) {
    if (const auto eq = line.find('='); eq != std::string::npos)
      out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

// The install command the tests give the step: what `pip install .` does on a runner, offline
// (setuptools and wheel from Debian's wheels, then the package without build isolation).
std::string offline_install() {
  return std::string("pip install -q --disable-pip-version-check --no-index --find-links ") +
         test::k_system_wheels +
         " setuptools wheel && pip install --disable-pip-version-check --no-index "
         "--no-build-isolation .";
}

// ---- install-package.sh -------------------------------------------------------------------------

class InstallStep : public ::testing::Test {
 protected:
  // A copy of the test package to install from (pip builds in the tree it is given).
  fs::path package_copy() {
    const auto tree = m_dir.path() / "workspace";
    if (!fs::exists(tree)) fs::copy(test::scalepkg_dir(), tree, fs::copy_options::recursive);
    return tree;
  }

  // The step as action.yml runs it: bash, in the workspace, with the runner's files.
  util::ProcessResult install(const util::Environment& inputs, const fs::path& cwd) {
    util::Environment env;
    env["PATH"] = util::current_environment()["PATH"];
    env["HOME"] = m_dir.path().string();
    env["RUNNER_TEMP"] = (m_dir.path() / "runner-temp").string();
    env["GITHUB_OUTPUT"] = output_file().string();
    for (const auto& [name, value] : inputs) env[name] = value;
    return run({"bash", (repo_root() / "scripts/action/install-package.sh").string()}, env, cwd);
  }

  fs::path output_file() const { return m_dir.path() / "output"; }

  // A stand-in interpreter: `-I -m venv DIR` makes DIR/bin/python (another stand-in).
  fs::path fake_python() {
    const auto path = m_dir.path() / "bin" / "python3";
    test::write_file(path,
                     "#!/bin/sh\n"
                     "[ \"$2 $3\" = '-m venv' ] || exit 3\n"
                     "mkdir -p \"$4/bin\" && printf '#!/bin/sh\\n' >\"$4/bin/python\" &&\n"
                     "  chmod +x \"$4/bin/python\"\n");
    fs::permissions(path, fs::perms::owner_all);
    return path;
  }

  test::TempDir m_dir;
};

TEST_F(InstallStep, BuildsThePackageIntoAVenvOfEachFlavourWithThatVenvFirstOnPath) {
  REQUIRE_INTERPRETERS(interpreters);
  const auto tree = package_copy();
  const auto seen = m_dir.path() / "seen";
  // What the install command found: VIRTUAL_ENV, the pip and the python first on PATH.
  const std::string record =
      "printf '%s|%s|%s\\n' \"$VIRTUAL_ENV\" \"$(command -v pip)\" "
      "\"$(command -v python)\" >>'" +
      seen.string() + "' && ";
  const auto r = install({{"GILGUARD_PYTHON_GIL", interpreters.gil.string()},
                          {"GILGUARD_PYTHON_FT", interpreters.ft.string()},
                          {"GILGUARD_INSTALL", record + offline_install()}},
                         tree);
  ASSERT_TRUE(r.success()) << output_of(r);
  const auto out = outputs_in(output_file());
  const auto venvs = m_dir.path() / "runner-temp/gilguard/venvs/head";
  ASSERT_EQ(out.size(), 2u) << output_of(r);
  EXPECT_EQ(out.at("gil"), (venvs / "gil/bin/python").string());
  EXPECT_EQ(out.at("ft"), (venvs / "ft/bin/python").string());
  const std::string expected_seen = venvs.string() + "/gil|" + venvs.string() + "/gil/bin/pip|" +
                                    venvs.string() + "/gil/bin/python\n" + venvs.string() + "/ft|" +
                                    venvs.string() + "/ft/bin/pip|" + venvs.string() +
                                    "/ft/bin/python\n";
  EXPECT_EQ(test::read_file(seen), expected_seen);
  // Each venv holds the extension built for its own interpreter's ABI.
  for (const auto& [flavour, python] : {std::pair<std::string, fs::path>{"gil", interpreters.gil},
                                        std::pair<std::string, fs::path>{"ft", interpreters.ft}}) {
    const auto suffix = test::python_says(
        python, "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))");
    const auto module =
        test::python_says(out.at(flavour), "import scalepkg._speedups as s; print(s.__file__)");
    EXPECT_TRUE(module.starts_with((venvs / flavour).string())) << module;
    EXPECT_TRUE(module.ends_with("_speedups" + suffix)) << module;
  }
  // The build log is in the step's log, grouped per flavour.
  EXPECT_TRUE(contains(r.stdout_text, "::group::install the head into a GIL (gil) venv"))
      << output_of(r);
  EXPECT_TRUE(contains(r.stdout_text, "::group::install the head into a free-threaded (ft) venv"))
      << output_of(r);
  EXPECT_TRUE(contains(r.stdout_text, "Successfully installed scalepkg")) << output_of(r);
}

TEST_F(InstallStep, AFailedBuildNamesTheFlavourAndTheTreeAndShowsTheLogsTail) {
  REQUIRE_INTERPRETERS(interpreters);
  const auto tree = package_copy();
  // The extension refuses to compile for the free-threaded build only (Py_GIL_DISABLED comes
  // from pyconfig.h, so the test goes after Python.h).
  const auto source = tree / "src/_speedups.c";
  std::string c = test::read_file(source);
  const std::string include = "#include <Python.h>\n";
  const auto at = c.find(include);
  ASSERT_NE(at, std::string::npos) << c;
  c.insert(at + include.size(),
           "#ifdef Py_GIL_DISABLED\n#error scalepkg-refuses-free-threading\n#endif\n");
  test::write_file(source, c);
  const auto r = install({{"GILGUARD_PYTHON_GIL", interpreters.gil.string()},
                          {"GILGUARD_PYTHON_FT", interpreters.ft.string()},
                          {"GILGUARD_INSTALL", offline_install()},
                          {"GILGUARD_LABEL", "base"}},
                         tree);
  EXPECT_EQ(r.exit_code, 1) << output_of(r);
  EXPECT_TRUE(contains(r.stdout_text,
                       "::error title=gilguard install::installing the base into the "
                       "free-threaded (ft) venv failed (exit 1) running '"))
      << output_of(r);
  // The tail, on stderr after the group: the compiler's error is in it.
  const auto tail = r.stderr_text.find("--- the last 40 lines of the base's free-threaded (ft)");
  ASSERT_NE(tail, std::string::npos) << output_of(r);
  EXPECT_NE(r.stderr_text.find("scalepkg-refuses-free-threading", tail), std::string::npos)
      << output_of(r);
  // The GIL flavour was built and is reported; the free-threaded one is not.
  const auto out = outputs_in(output_file());
  EXPECT_TRUE(out.contains("gil")) << output_of(r);
  EXPECT_FALSE(out.contains("ft")) << output_of(r);
}

// The install runs the pull request's setup.py: like the check step it never holds a token,
// even when the workflow set one for the whole job (its environment and its parent's).
TEST_F(InstallStep, NoTokenReachesTheInstallCommandOrItsParent) {
  const auto python = fake_python();
  const auto seen = m_dir.path() / "seen";
  const auto r =
      install({{"GILGUARD_PYTHON_GIL", python.string()},
               {"GILGUARD_PYTHON_FT", python.string()},
               {"GITHUB_TOKEN", "ghs_JobLevelTokenThatMustNotReachTheInstall"},
               {"GH_TOKEN", "ghs_AnotherJobLevelToken"},
               {"GILGUARD_INSTALL", "{ env; echo ---; tr '\\0' '\\n' </proc/$PPID/environ; } >>'" +
                                        seen.string() + "'"}},
              m_dir.path());
  ASSERT_TRUE(r.success()) << output_of(r);
  const std::string text = test::read_file(seen);
  EXPECT_TRUE(contains(text, "VIRTUAL_ENV=")) << text;
  EXPECT_FALSE(contains(text, "JobLevelToken")) << text;
}

// The default command in a repository that is no Python package (one that measures CPython or
// the built-in workloads): nothing installed, no outputs, so the check measures the interpreters
// as given. A missing interpreter is an error naming the inputs.
TEST_F(InstallStep, TheDefaultCommandOutsideAPackageInstallsNothing) {
  const auto python = fake_python();
  const auto r = install({{"GILGUARD_PYTHON_GIL", python.string()},
                          {"GILGUARD_PYTHON_FT", python.string()},
                          {"GILGUARD_INSTALL", "pip install ."}},
                         m_dir.path());
  ASSERT_TRUE(r.success()) << output_of(r);
  EXPECT_TRUE(contains(r.stdout_text,
                       "::notice title=gilguard install::the head's tree has no "
                       "pyproject.toml or setup.py"))
      << output_of(r);
  EXPECT_TRUE(outputs_in(output_file()).empty());

  const auto missing = install(
      {{"GILGUARD_PYTHON_GIL", python.string()}, {"GILGUARD_INSTALL", "true"}}, m_dir.path());
  EXPECT_EQ(missing.exit_code, 2) << output_of(missing);
  EXPECT_TRUE(contains(missing.stdout_text,
                       "no free-threaded (ft) interpreter to install the "
                       "head into"))
      << output_of(missing);
}

// ---- gilguard checkout ------------------------------------------------------------------------

// A repository with the base commit and a head commit on main, as a pull request's checkout.
class Checkout : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(repo());
    test::run_git(repo(), {"init", "-q", "-b", "main"});
    test::write_file(repo() / "pkg/__init__.py", "VERSION = 'base'\n");
    test::write_file(repo() / "pyproject.toml", "[project]\nname = 'pkg'\n");
    test::run_git(repo(), {"add", "."});
    test::run_git(repo(), {"commit", "-q", "-m", "base"});
    m_base = test::run_git(repo(), {"rev-parse", "HEAD"});
    test::write_file(repo() / "pkg/__init__.py", "VERSION = 'head'\n");
    test::write_file(repo() / "pkg/new.py", "NEW = 1\n");
    test::run_git(repo(), {"add", "."});
    test::run_git(repo(), {"commit", "-q", "-m", "head"});
  }

  fs::path repo() const { return m_dir.path() / "repo"; }

  util::ProcessResult gilguard(const std::vector<std::string>& args, const fs::path& cwd) {
    std::vector<std::string> argv = {test::gilguard_binary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, util::current_environment(), cwd);
  }

  test::TempDir m_dir;
  std::string m_base;
};

TEST_F(Checkout, WritesTheBaseBesideTheCheckoutAndLeavesTheCheckoutAlone) {
  // Work in progress in the checkout: an edit, a staged file and an untracked one.
  test::write_file(repo() / "pkg/__init__.py", "VERSION = 'edited'\n");
  test::write_file(repo() / "staged.txt", "staged\n");
  test::run_git(repo(), {"add", "staged.txt"});
  test::write_file(repo() / "untracked.txt", "untracked\n");
  const auto status = test::run_git(repo(), {"status", "--porcelain"});
  const auto index = test::read_file(repo() / ".git/index");

  const auto into = m_dir.path() / "trees/base";
  const auto r = gilguard({"checkout", "--ref", m_base, "--into", into.string()}, repo());
  ASSERT_TRUE(r.success()) << output_of(r);
  EXPECT_EQ(r.stdout_text, m_base + "\n");
  EXPECT_EQ(test::read_file(into / "pkg/__init__.py"), "VERSION = 'base'\n");
  EXPECT_TRUE(fs::exists(into / "pyproject.toml"));
  EXPECT_FALSE(fs::exists(into / "pkg/new.py"));
  EXPECT_FALSE(fs::exists(into / "untracked.txt"));
  EXPECT_FALSE(fs::exists(into / ".git"));
  // The checkout as it was: work tree, index, HEAD.
  EXPECT_EQ(test::run_git(repo(), {"status", "--porcelain"}), status);
  EXPECT_EQ(test::read_file(repo() / ".git/index"), index);
  EXPECT_EQ(test::read_file(repo() / "pkg/__init__.py"), "VERSION = 'edited'\n");
  EXPECT_EQ(test::run_git(repo(), {"rev-parse", "HEAD~1"}), m_base);

  // A branch name and --repo from elsewhere work the same.
  test::run_git(repo(), {"branch", "base-branch", m_base});
  const auto by_name = gilguard({"checkout", "--repo", repo().string(), "--ref", "base-branch",
                                 "--into", (m_dir.path() / "by-name").string()},
                                m_dir.path());
  ASSERT_TRUE(by_name.success()) << output_of(by_name);
  EXPECT_EQ(by_name.stdout_text, m_base + "\n");
}

TEST_F(Checkout, ErrorsSayWhatToDo) {
  // A shallow clone (actions/checkout's default) without the base: fetch it, or the history.
  const auto shallow = m_dir.path() / "shallow";
  test::run_git(m_dir.path(),
                {"clone", "-q", "--depth", "1", "file://" + repo().string(), shallow.string()});
  auto r =
      gilguard({"checkout", "--ref", m_base, "--into", (m_dir.path() / "b1").string()}, shallow);
  EXPECT_EQ(r.exit_code, 2) << output_of(r);
  // The repository named by its full path, not as "." as it was given.
  EXPECT_TRUE(contains(r.stderr_text, "gilguard: error: checkout --ref " + m_base + ": revision '" +
                                          m_base + "' is not in " + shallow.string() + " ("))
      << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "'git -C " + shallow.string() + " fetch origin " + m_base))
      << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "fetch-depth: 0")) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "shallow clone")) << output_of(r);
  EXPECT_FALSE(fs::exists(m_dir.path() / "b1"));

  // An existing directory is never written into.
  fs::create_directories(m_dir.path() / "exists");
  r = gilguard({"checkout", "--ref", m_base, "--into", (m_dir.path() / "exists").string()}, repo());
  EXPECT_EQ(r.exit_code, 2) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "exists already; give a directory that does not exist yet"))
      << output_of(r);

  // Not the top of a repository.
  r = gilguard({"checkout", "--ref", "HEAD", "--into", (m_dir.path() / "b2").string()},
               repo() / "pkg");
  EXPECT_EQ(r.exit_code, 2) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "give the top directory of a git clone")) << output_of(r);

  // --ref and --into are required, and --help says what the command does.
  r = gilguard({"checkout", "--ref", "HEAD"}, repo());
  EXPECT_EQ(r.exit_code, 2) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "--into")) << output_of(r);
  r = gilguard({"checkout", "--help"}, repo());
  EXPECT_EQ(r.exit_code, 0) << output_of(r);
  EXPECT_TRUE(contains(r.stdout_text, "leaving the repository's work tree, index and HEAD alone"))
      << output_of(r);
  for (const char* option : {"--repo DIR", "--ref REV", "--into DIR"})
    EXPECT_TRUE(contains(r.stdout_text, option)) << option << "\n" << output_of(r);
}

// ---- package-base.sh ----------------------------------------------------------------------------

// The pull request's base in a shallow clone of the head (actions/checkout's default depth 1):
// the step fetches that one commit from origin and checks it out beside the workspace; a base
// origin does not have fails with how to get the history.
TEST_F(Checkout, ThePackageBaseStepFetchesTheBaseIntoAShallowCloneAndChecksItOut) {
  const auto workspace = m_dir.path() / "workspace";
  test::run_git(m_dir.path(),
                {"clone", "-q", "--depth", "1", "file://" + repo().string(), workspace.string()});
  const auto step = [&](const std::string& ref) {
    util::Environment env;
    env["PATH"] = util::current_environment()["PATH"];
    env["HOME"] = m_dir.path().string();
    env["GIT_CONFIG_NOSYSTEM"] = "1";
    env["RUNNER_TEMP"] = (m_dir.path() / "runner-temp").string();
    env["GITHUB_OUTPUT"] = (m_dir.path() / "output").string();
    env["GILGUARD_BINARY"] = test::gilguard_binary().string();
    env["GILGUARD_REF"] = ref;
    test::write_file(m_dir.path() / "output", "");
    return run({"bash", (repo_root() / "scripts/action/package-base.sh").string()}, env, workspace);
  };
  const auto r = step(m_base);
  ASSERT_TRUE(r.success()) << output_of(r);
  const auto out = outputs_in(m_dir.path() / "output");
  const auto dir = m_dir.path() / "runner-temp/gilguard/package-base";
  EXPECT_EQ(out.at("dir"), dir.string());
  EXPECT_EQ(out.at("commit"), m_base);
  EXPECT_EQ(out.at("label"), m_base);
  EXPECT_EQ(test::read_file(dir / "pkg/__init__.py"), "VERSION = 'base'\n");
  EXPECT_EQ(test::read_file(workspace / "pkg/__init__.py"), "VERSION = 'head'\n");
  EXPECT_EQ(test::run_git(workspace, {"status", "--porcelain"}), "");
  // Again (a re-run in the same job directory): the old base tree is replaced.
  ASSERT_TRUE(step(m_base).success());

  const std::string absent(40, 'a');
  const auto missing = step(absent);
  EXPECT_EQ(missing.exit_code, 2) << output_of(missing);
  EXPECT_TRUE(contains(missing.stderr_text, "fetch-depth: 0")) << output_of(missing);
  EXPECT_TRUE(contains(missing.stderr_text,
                       "::error title=gilguard package-base::cannot check "
                       "out package-base " +
                           absent))
      << output_of(missing);
}

}  // namespace
}  // namespace gilguard
