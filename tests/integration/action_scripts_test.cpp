// The action's shell steps that need no interpreter, run as the workflows run them:
// scripts/action/push-baseline.sh against two clones of one bare repository on a runner without a
// git identity; scripts/install-deps.sh refusing releases too old to build gilguard (a fake
// os-release) and talking to apt through sudo (fakes of id, sudo, apt-get, apt-cache and
// dpkg-query that record what they were asked); scripts/action/tool-key.sh resolving the action
// path the runner gives a local `uses: ./` and keying the binary by OS release and compiler;
// scripts/action/check.sh keeping every token from the measuring processes and their parent, and
// scripts/action/comment.sh calling `gilguard comment` with the check step's files.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
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

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// PATH and an empty HOME, with no system git config: a runner on which nobody configured git.
util::Environment bare_environment(const fs::path& home) {
  util::Environment env;
  env["PATH"] = util::current_environment()["PATH"];
  env["HOME"] = home.string();
  env["GIT_CONFIG_NOSYSTEM"] = "1";
  // Never guess an identity from the host name (the runner's guess fails; a developer machine's
  // may not): only configured or given identities count.
  env["GIT_CONFIG_COUNT"] = "1";
  env["GIT_CONFIG_KEY_0"] = "user.useConfigOnly";
  env["GIT_CONFIG_VALUE_0"] = "true";
  return env;
}

util::ProcessResult run(const std::vector<std::string>& argv, const util::Environment& env,
                        const fs::path& cwd) {
  util::ProcessOptions options;
  options.working_directory = cwd;
  options.timeout = std::chrono::seconds(120);
  auto result = util::run_process(argv, env, options);
  if (!result) throw std::runtime_error("cannot start " + argv[0] + ": " + result.error().message);
  return *result;
}

// ---- push-baseline.sh ---------------------------------------------------------------------------

// A bare "origin" with one commit on main and two clones of it, as two matrix jobs check it out.
class PushBaseline : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(home());
    git(m_dir.path(), {"init", "-q", "--bare", "-b", "main", origin().string()});
    git(m_dir.path(), {"clone", "-q", origin().string(), "seed"});
    commit_file(m_dir.path() / "seed", "README.md", "a project\n");
    git(m_dir.path() / "seed", {"push", "-q", "origin", "HEAD:main"});
    git(m_dir.path(), {"clone", "-q", origin().string(), "first"});
    git(m_dir.path(), {"clone", "-q", origin().string(), "second"});
  }

  fs::path home() const { return m_dir.path() / "home"; }
  fs::path origin() const { return m_dir.path() / "origin.git"; }
  fs::path clone(const char* name) const { return m_dir.path() / name; }

  // git with an identity given for this command only (as gilguard gives its commit one).
  std::string git(const fs::path& cwd, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto env = bare_environment(home());
    env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = "gilguard-bot";
    env["GIT_AUTHOR_EMAIL"] = env["GIT_COMMITTER_EMAIL"] = "gilguard-bot@users.noreply.github.com";
    const auto r = run(argv, env, cwd);
    EXPECT_TRUE(r.success()) << "git " << args.front() << ": " << output_of(r);
    return r.stdout_text;
  }

  void commit_file(const fs::path& clone, const std::string& file, const std::string& text) {
    test::write_file(clone / file, text);
    git(clone, {"add", file});
    git(clone, {"commit", "-q", "-m", "gilguard: baseline " + file});
  }

  // The workflow's push step in `clone`: the script under bash with the runner's variables (and
  // `extra`) and no git identity at all.
  util::ProcessResult push(const fs::path& clone, const util::Environment& extra = {}) {
    auto env = bare_environment(home());
    env["GITHUB_REF_NAME"] = "main";
    env["GILGUARD_PUSH_DELAY"] = "0";
    for (const auto& [name, value] : extra) env[name] = value;
    return run({"bash", (repo_root() / "scripts/action/push-baseline.sh").string()}, env, clone);
  }

  std::string origin_files() {
    return git(m_dir.path(),
               {"--git-dir", origin().string(), "ls-tree", "-r", "--name-only", "main"});
  }

  test::TempDir m_dir;
};

TEST_F(PushBaseline, TheSecondJobRebasesWithoutAGitIdentityAndBothBaselinesArrive) {
  commit_file(clone("first"), "baselines/ubuntu-24.04-x64.json", "{}\n");
  commit_file(clone("second"), "baselines/ubuntu-24.04-arm64.json", "{}\n");

  const auto first = push(clone("first"));
  ASSERT_TRUE(first.success()) << output_of(first);
  // The second push is rejected (the branch moved), rebased with the bot identity and retried.
  const auto second = push(clone("second"));
  ASSERT_TRUE(second.success()) << output_of(second);
  EXPECT_TRUE(contains(second.stderr_text, "attempt 2")) << output_of(second);

  EXPECT_EQ(origin_files(),
            "README.md\nbaselines/ubuntu-24.04-arm64.json\nbaselines/ubuntu-24.04-x64.json\n");
  // The replayed commit keeps its author; its committer is the fallback identity.
  EXPECT_EQ(git(m_dir.path(),
                {"--git-dir", origin().string(), "log", "-1", "--format=%an|%cn|%ce", "main"}),
            "gilguard-bot|gilguard-bot|gilguard-bot@users.noreply.github.com\n");
  EXPECT_EQ(trimmed(git(clone("second"), {"rev-parse", "HEAD"})),
            trimmed(git(m_dir.path(), {"--git-dir", origin().string(), "rev-parse", "main"})));
}

TEST_F(PushBaseline, AConflictAbortsTheRebaseAndFailsWithAClearMessage) {
  commit_file(clone("first"), "baselines/shared.json", "{\"first\": 1}\n");
  commit_file(clone("second"), "baselines/shared.json", "{\"second\": 2}\n");
  const std::string second_head = trimmed(git(clone("second"), {"rev-parse", "HEAD"}));

  ASSERT_TRUE(push(clone("first")).success());
  const auto second = push(clone("second"));
  EXPECT_EQ(second.exit_code, 1) << output_of(second);
  EXPECT_TRUE(contains(second.stdout_text, "::error title=gilguard baseline push::"))
      << output_of(second);
  EXPECT_TRUE(contains(second.stdout_text, "does not rebase cleanly")) << output_of(second);
  // No rebase left half done: the job's own commit is checked out again, the origin keeps the
  // first job's baseline.
  EXPECT_FALSE(fs::exists(clone("second") / ".git/rebase-merge"));
  EXPECT_FALSE(fs::exists(clone("second") / ".git/rebase-apply"));
  EXPECT_EQ(trimmed(git(clone("second"), {"rev-parse", "HEAD"})), second_head);
  EXPECT_EQ(
      git(m_dir.path(), {"--git-dir", origin().string(), "show", "main:baselines/shared.json"}),
      "{\"first\": 1}\n");
}

TEST_F(PushBaseline, GivesUpAfterTheGivenNumberOfAttempts) {
  commit_file(clone("first"), "baselines/a.json", "{}\n");
  commit_file(clone("second"), "baselines/b.json", "{}\n");
  ASSERT_TRUE(push(clone("first")).success());
  // One attempt only: the rejected push is not retried.
  const auto r = push(clone("second"), {{"GILGUARD_PUSH_ATTEMPTS", "1"}});
  EXPECT_EQ(r.exit_code, 1) << output_of(r);
  EXPECT_TRUE(contains(r.stdout_text, "still rejected after 1 attempts")) << output_of(r);
  EXPECT_FALSE(contains(origin_files(), "b.json"));
}

TEST_F(PushBaseline, RefusesToPushFromAPullRequestRun) {
  commit_file(clone("first"), "baselines/a.json", "{}\n");
  const auto r =
      push(clone("first"), {{"GITHUB_EVENT_NAME", "pull_request"}, {"GITHUB_REF_NAME", "7/merge"}});
  EXPECT_EQ(r.exit_code, 1) << output_of(r);
  EXPECT_TRUE(contains(r.stdout_text, "pull request run")) << output_of(r);
  EXPECT_EQ(origin_files(), "README.md\n");
}

// ---- install-deps.sh ----------------------------------------------------------------------------

// Fakes of the system tools install-deps.sh calls, each appending its arguments (and, for
// apt-get, DEBIAN_FRONTEND) to calls.log. The package lists know nothing until `apt-get update`
// ran; dpkg-query reports every package missing; the user is not root, and sudo resets the
// environment the way the real one does.
class InstallDeps : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path bin = m_dir.path() / "bin";
    fake(bin / "id", "echo 1001\n");
    fake(bin / "sudo", "exec env -i PATH=\"$PATH\" CALLS=\"$CALLS\" \"$@\"\n");
    fake(bin / "apt-get",
         "echo \"apt-get $* DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-unset}\" >>\"$CALLS\"\n"
         "[ \"$1\" = update ] && touch \"$CALLS.updated\"\nexit 0\n");
    fake(bin / "apt-cache", "echo \"apt-cache $*\" >>\"$CALLS\"\n[ -e \"$CALLS.updated\" ]\n");
    fake(bin / "dpkg-query", "exit 1\n");
  }

  void fake(const fs::path& path, const std::string& body) {
    test::write_file(path, "#!/bin/sh\n" + body);
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add);
  }

  util::ProcessResult install(const std::string& os_release) {
    test::write_file(m_dir.path() / "os-release", os_release);
    util::Environment env;
    env["PATH"] = (m_dir.path() / "bin").string() + ":" + util::current_environment()["PATH"];
    env["CALLS"] = calls_path().string();
    env["GILGUARD_OS_RELEASE"] = (m_dir.path() / "os-release").string();
    return run({"bash", (repo_root() / "scripts/install-deps.sh").string(), "--build"}, env,
               m_dir.path());
  }

  fs::path calls_path() const { return m_dir.path() / "calls.log"; }
  std::string calls() const {
    return fs::exists(calls_path()) ? test::read_file(calls_path()) : std::string();
  }

  test::TempDir m_dir;
};

TEST_F(InstallDeps, RefusesUbuntu2204AtOnceSayingWhatItNeeds) {
  const auto r = install(
      "PRETTY_NAME=\"Ubuntu 22.04.5 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\n"
      "ID_LIKE=debian\n");
  EXPECT_EQ(r.exit_code, 2) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "Ubuntu 22.04.5 LTS is too old")) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "Ubuntu 24.04 or newer, or Debian 12 or newer"))
      << output_of(r);
  EXPECT_EQ(calls(), "") << "apt was asked before the release was checked";
}

TEST_F(InstallDeps, RefusesDebian11) {
  const auto r =
      install("PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\nVERSION_ID=\"11\"\nID=debian\n");
  EXPECT_EQ(r.exit_code, 2) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "too old")) << output_of(r);
  EXPECT_EQ(calls(), "");
}

TEST_F(InstallDeps, OnUbuntu2404UpdatesTheListsOnceAndKeepsAptNonInteractiveThroughSudo) {
  const auto r = install(
      "PRETTY_NAME=\"Ubuntu 24.04.3 LTS\"\nVERSION_ID=\"24.04\"\nID=ubuntu\nID_LIKE=debian\n");
  ASSERT_TRUE(r.success()) << output_of(r) << calls();
  const std::string log = calls();
  std::size_t updates = 0;
  for (auto at = log.find("apt-get update"); at != std::string::npos;
       at = log.find("apt-get update", at + 1)) {
    ++updates;
  }
  EXPECT_EQ(updates, 1u) << log;
  EXPECT_TRUE(contains(log, "apt-get update -qq DEBIAN_FRONTEND=noninteractive")) << log;
  EXPECT_TRUE(contains(log, "apt-get install -y -qq --no-install-recommends g++ ")) << log;
  EXPECT_TRUE(contains(log, "DEBIAN_FRONTEND=noninteractive\n")) << log;
  EXPECT_FALSE(contains(log, "DEBIAN_FRONTEND=unset")) << log;
}

// ---- tool-key.sh --------------------------------------------------------------------------------

// The step's outputs, "name=value" lines, for an action path and an os-release text.
std::map<std::string, std::string> tool_key(const test::TempDir& dir,
                                            const std::string& action_path,
                                            const std::string& os_release) {
  test::write_file(dir.path() / "os-release", os_release);
  test::write_file(dir.path() / "output", "");
  util::Environment env;
  env["PATH"] = util::current_environment()["PATH"];
  env["GITHUB_ACTION_PATH"] = action_path;
  env["GITHUB_OUTPUT"] = (dir.path() / "output").string();
  env["GILGUARD_OS_RELEASE"] = (dir.path() / "os-release").string();
  const auto r =
      run({"bash", (repo_root() / "scripts/action/tool-key.sh").string()}, env, dir.path());
  EXPECT_TRUE(r.success()) << output_of(r);
  std::map<std::string, std::string> out;
  std::istringstream lines(test::read_file(dir.path() / "output"));
  for (std::string line; std::getline(lines, line);) {
    if (const auto eq = line.find('='); eq != std::string::npos)
      out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

constexpr const char* k_noble = "ID=ubuntu\nVERSION_ID=\"24.04\"\n";

// The runner gives a local `uses: ./` the action path "<workspace>/./"; @actions/glob rejects
// the `.` segment, so the cache path must be the resolved directory.
TEST(ToolKey, ResolvesTheActionPathOfALocalUses) {
  test::TempDir dir;
  const auto out = tool_key(dir, repo_root().string() + "/./", k_noble);
  ASSERT_TRUE(out.contains("dir"));
  EXPECT_EQ(out.at("dir"), fs::canonical(repo_root()).string());
  EXPECT_EQ(out.at("dir").find("/./"), std::string::npos);
  EXPECT_NE(out.at("dir").back(), '/');
  // The action's output `gilguard`: the binary the build step makes in that directory.
  ASSERT_TRUE(out.contains("binary"));
  EXPECT_EQ(out.at("binary"), out.at("dir") + "/build/default/gilguard");
}

// A binary built on one release links that release's libraries: the key names the release and
// the compiler, and differs between releases of the same runner OS.
TEST(ToolKey, KeysTheBinaryByOsReleaseAndCompiler) {
  test::TempDir dir;
  const auto noble = tool_key(dir, repo_root().string(), k_noble);
  const auto jammy = tool_key(dir, repo_root().string(), "ID=ubuntu\nVERSION_ID=\"22.04\"\n");
  ASSERT_TRUE(noble.contains("key"));
  EXPECT_EQ(noble.at("key").rfind("ubuntu-24.04-", 0), 0u) << noble.at("key");
  EXPECT_NE(noble.at("key"), jammy.at("key"));
  // The compiler's version (c++ --version's first line) is in it, and nothing a key may not hold.
  const auto version = run({"c++", "-dumpversion"}, util::current_environment(), dir.path());
  ASSERT_TRUE(version.success());
  EXPECT_NE(noble.at("key").find(trimmed(version.stdout_text)), std::string::npos)
      << noble.at("key");
  EXPECT_EQ(noble.at("key").find_first_of(", /"), std::string::npos) << noble.at("key");
}

// ---- check.sh ----------------------------------------------------------------------------------

// The arguments check.sh gives gilguard (a stand-in that prints them, one per line).
std::string check_arguments(const test::TempDir& dir, const util::Environment& inputs) {
  const fs::path fake = dir.path() / "fake-gilguard";
  test::write_file(fake, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
  fs::permissions(fake, fs::perms::owner_all, fs::perm_options::add);
  util::Environment env;
  env["PATH"] = util::current_environment()["PATH"];
  env["RUNNER_TEMP"] = dir.path().string();
  env["GILGUARD_BINARY"] = fake.string();
  for (const auto& [name, value] : inputs) env[name] = value;
  const auto r = run({"bash", (repo_root() / "scripts/action/check.sh").string()}, env, dir.path());
  EXPECT_TRUE(r.success()) << output_of(r);
  return r.stdout_text;
}

// A/B: the base's interpreters reach `gilguard check` as --base-gil/--base-ft, next to the head's.
TEST(CheckStep, PassesTheBaseInterpretersForAnABCheck) {
  test::TempDir dir;
  const std::string args = check_arguments(dir, {{"GILGUARD_PYTHON_GIL", "/head/python3.13"},
                                                 {"GILGUARD_PYTHON_FT", "/head/python3.13t"},
                                                 {"GILGUARD_BASE_GIL", "/base/python3.13"},
                                                 {"GILGUARD_BASE_FT", "/base/python3.13t"}});
  EXPECT_TRUE(contains(args, "check\n")) << args;
  EXPECT_TRUE(contains(args, "\n--gil\n/head/python3.13\n--ft\n/head/python3.13t\n")) << args;
  EXPECT_TRUE(contains(args, "\n--base-gil\n/base/python3.13\n--base-ft\n/base/python3.13t\n"))
      << args;
  // Without a base, no A/B flags.
  const std::string plain = check_arguments(dir, {{"GILGUARD_PYTHON_GIL", "/head/python3.13"}});
  EXPECT_FALSE(contains(plain, "--base-")) << plain;
}

// scripts/action/check.sh with a gilguard stand-in that prints its arguments, each ended by NUL.
std::vector<std::string> check_step_arguments(const test::TempDir& dir,
                                              const util::Environment& inputs) {
  const auto fake = dir.path() / "fake-gilguard";
  test::write_file(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done\n");
  fs::permissions(fake, fs::perms::owner_all);
  auto env = util::current_environment();
  env["GILGUARD_BINARY"] = fake.string();
  env["RUNNER_TEMP"] = dir.path().string();
  for (const auto& [name, value] : inputs) env[name] = value;
  const auto r = run({(repo_root() / "scripts" / "action" / "check.sh").string()}, env, dir.path());
  EXPECT_TRUE(r.success()) << output_of(r);
  std::vector<std::string> args;
  std::istringstream lines(r.stdout_text);
  for (std::string arg; std::getline(lines, arg, '\0');) args.push_back(arg);
  return args;
}

// The `import` input, newline- or comma-separated, reaches gilguard as one --import value
// (gilguard splits it); a blank input adds nothing.
TEST(CheckStep, PassesTheImportInputAsOneValue) {
  test::TempDir dir;
  const auto args =
      check_step_arguments(dir, {{"GILGUARD_IMPORT", "mypkg\nmypkg._speedups, other\n"}});
  const auto at = std::find(args.begin(), args.end(), "--import");
  ASSERT_NE(at, args.end()) << testing::PrintToString(args);
  ASSERT_NE(at + 1, args.end());
  EXPECT_EQ(*(at + 1), "mypkg\nmypkg._speedups, other\n");
  EXPECT_EQ(std::count(args.begin(), args.end(), "--import"), 1);
  for (const char* blank : {"", " \n, \n"}) {
    const auto none = check_step_arguments(dir, {{"GILGUARD_IMPORT", blank}});
    EXPECT_EQ(std::find(none.begin(), none.end(), "--import"), none.end())
        << testing::PrintToString(none);
  }
}

// The `workload` input reaches gilguard as --workload, unchanged; an empty one adds nothing.
TEST(CheckStep, PassesTheWorkloadInput) {
  test::TempDir dir;
  const auto args =
      check_step_arguments(dir, {{"GILGUARD_WORKLOAD", "bench/parse me.py:parse_one"}});
  const auto at = std::find(args.begin(), args.end(), "--workload");
  ASSERT_NE(at, args.end()) << testing::PrintToString(args);
  ASSERT_NE(at + 1, args.end());
  EXPECT_EQ(*(at + 1), "bench/parse me.py:parse_one");
  const auto none = check_step_arguments(dir, {{"GILGUARD_WORKLOAD", ""}});
  EXPECT_EQ(std::find(none.begin(), none.end(), "--workload"), none.end())
      << testing::PrintToString(none);
}

// The measuring step holds no token, in either mode, even when the workflow set one for the
// whole job: the environment gilguard starts with, and the environment block of its parent (the
// step's shell in update mode, which the code measured could read through /proc), have none.
// The comment is a later step's (comment.sh), which runs no code of the pull request.
TEST(CheckStep, NoTokenReachesTheMeasuringProcessesOrTheirParent) {
  for (const char* mode : {"check", "update"}) {
    test::TempDir dir;
    const auto seen = dir.path() / "seen";
    const auto fake = dir.path() / "fake-gilguard";
    // The parent's block when the parent is the step's shell (update mode's first call); an
    // exec'd gilguard's parent is this test.
    test::write_file(fake,
                     "#!/bin/sh\n"
                     "{ echo \"$*\"; tr '\\0' '\\n' </proc/self/environ; echo ---;\n"
                     "  [ \"$(cat /proc/$PPID/comm)\" = bash ] && echo parent: &&\n"
                     "    tr '\\0' '\\n' </proc/$PPID/environ;\n"
                     "  echo ===; } >>'" +
                         seen.string() + "'\n");
    fs::permissions(fake, fs::perms::owner_all);
    util::Environment env;
    env["PATH"] = util::current_environment()["PATH"];
    env["RUNNER_TEMP"] = dir.path().string();
    env["GILGUARD_BINARY"] = fake.string();
    env["GILGUARD_MODE"] = mode;
    env["GITHUB_TOKEN"] = "ghs_JobLevelTokenThatMustNotReachTheCheck";
    env["GH_TOKEN"] = "ghs_AnotherJobLevelToken";
    const auto r =
        run({"bash", (repo_root() / "scripts/action/check.sh").string()}, env, dir.path());
    ASSERT_TRUE(r.success()) << mode << ": " << output_of(r);
    const std::string text = test::read_file(seen);
    EXPECT_TRUE(contains(text, "--comment never")) << text;
    // Update mode's shell stays gilguard's parent, and its block was read.
    EXPECT_EQ(contains(text, "parent:"), std::string(mode) == "update") << text;
    EXPECT_TRUE(contains(text, "PATH=")) << text;
    EXPECT_FALSE(contains(text, "JobLevelToken")) << mode << ":\n" << text;
    EXPECT_FALSE(contains(text, "AnotherJobLevelToken")) << mode << ":\n" << text;
  }
}

// comment.sh: `gilguard comment` with the check step's files, the mode input, and a failure that
// warns instead of failing the step (the check step's exit code is the verdict).
TEST(CommentStep, PassesTheCheckStepsFilesAndWarnsOnFailure) {
  test::TempDir dir;
  const auto fake = dir.path() / "fake-gilguard";
  test::write_file(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done\n");
  fs::permissions(fake, fs::perms::owner_all);
  test::write_file(dir.path() / "results.json", "{}");
  util::Environment env;
  env["PATH"] = util::current_environment()["PATH"];
  env["GILGUARD_BINARY"] = fake.string();
  env["GILGUARD_COMPARISON"] = (dir.path() / "comparison.json").string();
  env["GILGUARD_RESULTS"] = (dir.path() / "results.json").string();
  env["GILGUARD_COMMENT"] = "always";
  env["GILGUARD_BASELINES"] = "perf/baselines";
  const auto r =
      run({"bash", (repo_root() / "scripts/action/comment.sh").string()}, env, dir.path());
  ASSERT_TRUE(r.success()) << output_of(r);
  std::vector<std::string> args;
  std::istringstream lines(r.stdout_text);
  for (std::string arg; std::getline(lines, arg, '\0');) args.push_back(arg);
  const std::vector<std::string> expected = {
      "comment",     "--from",        (dir.path() / "comparison.json").string(),
      "--mode",      "always",        "--on-failure",
      "warn",        "--results",     (dir.path() / "results.json").string(),
      "--baselines", "perf/baselines"};
  EXPECT_EQ(args, expected);
}

}  // namespace
}  // namespace gilguard
