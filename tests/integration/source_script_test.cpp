// The set-up scripts that find CPython sources, run as scripts/test.sh and the main job run them
// but with no network: scripts/find-cpython-source.sh asked for 3.13 or 3.14 (its default), with
// the per-version variables, GILGUARD_CPYTHON_SOURCE, the download cache and Debian's source
// package (a fake apt-get that hands out a tarball the test made); python.org is a fake curl that
// fails. scripts/lib.sh's provide_interpreters with a gilguard stand-in. The tarballs are small
// real ones holding Include/patchlevel.h, which is how the script tells their version.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gilguard/util/process.hpp"
#include "gilguard/util/sha256.hpp"
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

class SourceScripts : public ::testing::Test {
 protected:
  void SetUp() override {
    fake("curl", "exit 7\n");
    // A Debian mirror: the index lists the versions in $FAKE_APT_VERSIONS, and only
    // $FAKE_APT_SERVED can be downloaded (`source` puts $FAKE_APT_ORIG into the working
    // directory). apt-get records its arguments and the sources.list it was given.
    fake("apt-get",
         "echo \"apt-get $*\" >>\"$CALLS\"\n"
         "for a in \"$@\"; do case \"$a\" in Dir::Etc::SourceList=*) "
         "cat \"${a#Dir::Etc::SourceList=}\" >>\"$CALLS\";; esac; done\n"
         "case \" $* \" in\n"
         "  *' update '*) exit 0 ;;\n"
         "  *\"=$FAKE_APT_SERVED \"*) cp \"$FAKE_APT_ORIG\" . ;;\n"
         "  *) exit 100 ;;\n"
         "esac\n");
    fake("apt-cache",
         "for v in $FAKE_APT_VERSIONS; do printf 'Package: p\\nVersion: %s\\n\\n' \"$v\"; done\n");
  }

  void fake(const std::string& name, const std::string& body) {
    const fs::path path = dir() / "bin" / name;
    test::write_file(path, "#!/bin/sh\n" + body);
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add);
  }

  const fs::path& dir() const { return m_dir.path(); }
  fs::path cache() const { return dir() / "cache" / "gilguard" / "sources"; }
  fs::path calls_path() const { return dir() / "calls.log"; }
  std::string calls() const {
    return fs::exists(calls_path()) ? test::read_file(calls_path()) : std::string();
  }

  // A CPython source tree of `version` (as far as the script looks: Include/patchlevel.h) in
  // `parent`/Python-`version`.
  fs::path tree(const fs::path& parent, const std::string& version) {
    const fs::path root = parent / ("Python-" + version);
    test::write_file(
        root / "Include" / "patchlevel.h",
        "/* Version as a string */\n#define PY_VERSION              \"" + version + "\"\n");
    test::write_file(root / "Include" / "Python.h", "/* fake */\n");
    test::write_file(root / "configure", "#!/bin/sh\n");
    return root;
  }

  // A .tar.xz at `path` holding Python-`version`/ (and its .sha256 beside it when `digest`).
  fs::path tarball(const fs::path& path, const std::string& version, bool digest = true) {
    const fs::path staging = dir() / ("staging-" + path.filename().string());
    tree(staging, version);
    fs::create_directories(path.parent_path());
    util::ProcessOptions options;
    options.timeout = std::chrono::seconds(60);
    const auto made = util::run_process(
        {"tar", "-cJf", path.string(), "-C", staging.string(), "Python-" + version},
        util::current_environment(), options);
    EXPECT_TRUE(made && made->success()) << (made ? output_of(*made) : made.error().message);
    if (digest)
      test::write_file(fs::path(path.string() + ".sha256"),
                       *util::sha256_file(path) + "  " + path.filename().string() + "\n");
    return path;
  }

  // find-cpython-source.sh (or another `script`) with `args` under bash, HOME and the cache in
  // the test's directory, the fakes first on PATH, and `variables` (nothing else of this
  // process's environment).
  util::ProcessResult find(const std::vector<std::string>& args,
                           const util::Environment& variables = {},
                           const fs::path& script = repo_root() /
                                                    "scripts/find-cpython-source.sh") {
    util::Environment env;
    env["PATH"] = (dir() / "bin").string() + ":" + util::current_environment()["PATH"];
    env["HOME"] = (dir() / "home").string();
    env["XDG_CACHE_HOME"] = (dir() / "cache").string();
    env["CALLS"] = calls_path().string();
    for (const auto& [name, value] : variables) env[name] = value;
    std::vector<std::string> argv = {"bash", script.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    util::ProcessOptions options;
    options.working_directory = dir();
    options.timeout = std::chrono::seconds(120);
    auto result = util::run_process(argv, env, options);
    if (!result) throw std::runtime_error("cannot start bash: " + result.error().message);
    return *result;
  }

  // The one path the script printed, or "" (with a test failure) when it failed.
  std::string found(const std::vector<std::string>& args, const util::Environment& variables) {
    const auto r = find(args, variables);
    EXPECT_TRUE(r.success()) << output_of(r);
    return r.stdout_text;
  }

  test::TempDir m_dir;
};

TEST_F(SourceScripts, WithoutAnArgumentFindsThe314SourceAndTheArgumentPicksTheVersion) {
  const auto old = tarball(dir() / "in" / "Python-3.13.5.tar.xz", "3.13.5");
  const auto now = tarball(dir() / "in" / "Python-3.14.7.tar.xz", "3.14.7");
  const util::Environment both = {{"GILGUARD_CPYTHON_SOURCE_3_13", old.string()},
                                  {"GILGUARD_CPYTHON_SOURCE_3_14", now.string()}};
  EXPECT_EQ(found({}, both), now.string() + "\n");
  EXPECT_EQ(found({"3.14"}, both), now.string() + "\n");
  EXPECT_EQ(found({"3.13"}, both), old.string() + "\n");
  EXPECT_EQ(calls(), "") << "Debian was asked although a variable named the source";
}

TEST_F(SourceScripts, AWrongVersionTarballIsRejectedNamingItAndTheFix) {
  // The right name and a matching .sha256, but 3.13 inside: the content decides.
  const auto renamed = tarball(dir() / "in" / "Python-3.14.7.tar.xz", "3.13.5");
  const auto r = find({"3.14"}, {{"GILGUARD_CPYTHON_SOURCE_3_14", renamed.string()}});
  EXPECT_EQ(r.exit_code, 1) << output_of(r);
  EXPECT_EQ(r.stdout_text, "");
  EXPECT_TRUE(contains(r.stderr_text, "GILGUARD_CPYTHON_SOURCE_3_14=" + renamed.string() +
                                          " is CPython 3.13.5, not 3.14; point "
                                          "GILGUARD_CPYTHON_SOURCE_3_14 at a CPython 3.14 source "
                                          "tarball (e.g. Python-3.14.7.tar.xz) or tree"))
      << output_of(r);
}

TEST_F(SourceScripts, TheCommonVariableNamesTheSourceOfWhicheverVersionIsAsked) {
  const auto old = tarball(dir() / "in" / "python3.13_3.13.5.orig.tar.xz", "3.13.5");
  const auto now = tarball(dir() / "in" / "Python-3.14.7.tar.xz", "3.14.7");
  EXPECT_EQ(found({"3.13"}, {{"GILGUARD_CPYTHON_SOURCE", old.string()}}), old.string() + "\n");
  // Asked for 3.14 it still names the 3.13 tarball: an error that says how to give both.
  const auto r = find({"3.14"}, {{"GILGUARD_CPYTHON_SOURCE", old.string()}});
  EXPECT_EQ(r.exit_code, 1) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text,
                       "GILGUARD_CPYTHON_SOURCE=" + old.string() + " is CPython 3.13.5, not 3.14"))
      << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "or set GILGUARD_CPYTHON_SOURCE_3_14 for this version"))
      << output_of(r);
  // The version's own variable comes first.
  EXPECT_EQ(found({"3.14"}, {{"GILGUARD_CPYTHON_SOURCE", old.string()},
                             {"GILGUARD_CPYTHON_SOURCE_3_14", now.string()}}),
            now.string() + "\n");
}

TEST_F(SourceScripts, ATreeIsTakenByItsPatchlevel) {
  const auto checkout = tree(dir() / "src", "3.14.0rc2");
  EXPECT_EQ(found({}, {{"GILGUARD_CPYTHON_SOURCE_3_14", checkout.string()}}),
            checkout.string() + "\n");
  const auto wrong = find({"3.13"}, {{"GILGUARD_CPYTHON_SOURCE_3_13", checkout.string()}});
  EXPECT_EQ(wrong.exit_code, 1) << output_of(wrong);
  EXPECT_TRUE(contains(wrong.stderr_text, "is CPython 3.14.0rc2, not 3.13")) << output_of(wrong);

  fs::create_directories(dir() / "empty");
  const auto empty = find({}, {{"GILGUARD_CPYTHON_SOURCE_3_14", (dir() / "empty").string()}});
  EXPECT_EQ(empty.exit_code, 1) << output_of(empty);
  EXPECT_TRUE(contains(empty.stderr_text,
                       "GILGUARD_CPYTHON_SOURCE_3_14=" + (dir() / "empty").string() +
                           " has no Include/patchlevel.h with a PY_VERSION, so it is not a "
                           "CPython source tree"))
      << output_of(empty);
}

TEST_F(SourceScripts, ADamagedTarballFailsVerification) {
  const auto file = tarball(dir() / "in" / "Python-3.14.7.tar.xz", "3.14.7");
  test::write_file(fs::path(file.string() + ".sha256"), std::string(64, '0') + "  x\n");
  const auto r = find({}, {{"GILGUARD_CPYTHON_SOURCE_3_14", file.string()}});
  EXPECT_EQ(r.exit_code, 1) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "SHA-256 mismatch for " + file.string())) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "failed verification; fix or replace the file"))
      << output_of(r);
}

// Each version finds its own file in the download cache, and skips one of another version.
TEST_F(SourceScripts, TheCacheIsLookedUpPerVersion) {
  const auto old = tarball(cache() / "Python-3.13.5.tar.xz", "3.13.5");
  const auto now = tarball(cache() / "debian" / "python3.14_3.14.9.orig.tar.xz", "3.14.9",
                           /*digest=*/false);
  EXPECT_EQ(found({"3.13"}, {}), old.string() + "\n");
  EXPECT_EQ(found({"3.14"}, {}), now.string() + "\n");
  EXPECT_EQ(calls(), "");

  tarball(cache() / "debian" / "python3.14_3.14.9.orig.tar.xz", "3.13.5", /*digest=*/false);
  const auto r = find({"3.14"});
  EXPECT_EQ(r.exit_code, 1) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text,
                       "no CPython 3.14 source found. Set GILGUARD_CPYTHON_SOURCE_3_14 (or "
                       "GILGUARD_CPYTHON_SOURCE) to a CPython 3.14 source tarball (e.g. "
                       "Python-3.14.7.tar.xz, SHA-256 "
                       "3b48dac8fb59f62eaa67ac83c1eb12bda1b7a08406dd286e252c11a66be27f81)"))
      << output_of(r);
}

// Without python.org, 3.14 comes from Debian's python3.14 in forky or sid (newer than 3.14.7, so
// no digest is known: apt's signed index vouches for it), the newest version the mirror serves;
// 3.13 from trixie's python3.13.
TEST_F(SourceScripts, DebiansSourcePackageOfTheAskedVersion) {
  const auto now = tarball(dir() / "debian" / "python3.14_3.14.9.orig.tar.xz", "3.14.9",
                           /*digest=*/false);
  const auto r = find({}, {{"FAKE_APT_ORIG", now.string()},
                           {"FAKE_APT_VERSIONS", "3.14.8-1 3.14.10-1 3.14.9-1"},
                           {"FAKE_APT_SERVED", "3.14.9-1"}});
  ASSERT_TRUE(r.success()) << output_of(r) << calls();
  EXPECT_EQ(r.stdout_text, (cache() / "debian" / now.filename()).string() + "\n");
  EXPECT_TRUE(contains(r.stderr_text, "python.org is not reachable")) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "apt-get source python3.14=3.14.10-1 failed"))
      << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "relying on apt's check against the signed Debian archive"))
      << output_of(r);
  const std::string log = calls();
  EXPECT_TRUE(contains(log,
                       "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
                       "http://deb.debian.org/debian forky main\n"))
      << log;
  EXPECT_TRUE(contains(log, "http://deb.debian.org/debian sid main\n")) << log;
  EXPECT_TRUE(contains(log, "source --download-only python3.14=3.14.10-1\n")) << log;
  EXPECT_TRUE(contains(log, "source --download-only python3.14=3.14.9-1\n")) << log;
  EXPECT_FALSE(contains(log, "python3.14=3.14.8-1")) << log;
  // The apt state is private to the version, not the system's.
  EXPECT_TRUE(contains(log, "Dir::State::Lists=" + (cache() / "apt" / "python3.14").string()))
      << log;

  // A 3.13 package of the wrong version (a broken mirror) is refused, not built as 3.13.
  fs::remove(calls_path());
  const auto odd = tarball(dir() / "debian" / "python3.13_3.13.9.orig.tar.xz", "3.12.1",
                           /*digest=*/false);
  const auto refused = find({"3.13"}, {{"FAKE_APT_ORIG", odd.string()},
                                       {"FAKE_APT_VERSIONS", "3.13.9-2+deb13u1"},
                                       {"FAKE_APT_SERVED", "3.13.9-2+deb13u1"}});
  EXPECT_EQ(refused.exit_code, 1) << output_of(refused);
  EXPECT_TRUE(contains(refused.stderr_text, "is CPython 3.12.1, not 3.13")) << output_of(refused);
  EXPECT_TRUE(contains(calls(), "http://deb.debian.org/debian trixie main\n")) << calls();
  EXPECT_FALSE(contains(calls(), "forky")) << calls();

  // A mirror that serves none of the indexed versions: the error lists them.
  const auto none = find({"3.13"}, {{"FAKE_APT_VERSIONS", "3.13.5-2 3.13.9-1"}});
  EXPECT_EQ(none.exit_code, 1) << output_of(none);
  EXPECT_TRUE(contains(none.stderr_text,
                       "no version of Debian's python3.13 source package could be downloaded "
                       "(versions in the index: 3.13.9-1, 3.13.5-2)"))
      << output_of(none);
}

TEST_F(SourceScripts, KnowsTwoVersionsAndRefusesOthers) {
  const auto versions = find({"--versions"});
  ASSERT_TRUE(versions.success()) << output_of(versions);
  EXPECT_EQ(versions.stdout_text, "3.13\n3.14\n");
  const auto r = find({"3.12"});
  EXPECT_EQ(r.exit_code, 2) << output_of(r);
  EXPECT_TRUE(contains(r.stderr_text, "unknown CPython version '3.12'; pass 3.13 or 3.14"))
      << output_of(r);
  EXPECT_EQ(calls(), "");
}

// lib.sh's provide_interpreters builds the asked version's source, both flavours, and exports
// the interpreters gilguard build printed.
TEST_F(SourceScripts, ProvideInterpretersBuildsTheAskedVersion) {
  const auto old = tarball(dir() / "in" / "Python-3.13.5.tar.xz", "3.13.5");
  const auto now = tarball(dir() / "in" / "Python-3.14.7.tar.xz", "3.14.7");
  fake("gilguard",
       "echo \"gilguard $*\" >>\"$CALLS\"\n"
       "echo '{\"gil\": \"/b/python3.14\", \"ft\": \"/b/python3.14t\"}'\n");
  test::write_file(dir() / "provide.sh",
                   "set -euo pipefail\nsource " + (repo_root() / "scripts/lib.sh").string() +
                       "\nprovide_interpreters \"$@\"\n"
                       "printf '%s\\n' \"$GIL_PY\" \"$FT_PY\" \"$CPYTHON_SOURCE\"\n");
  const util::Environment both = {{"GILGUARD_CPYTHON_SOURCE_3_13", old.string()},
                                  {"GILGUARD_CPYTHON_SOURCE_3_14", now.string()}};
  const auto r = find({(dir() / "bin" / "gilguard").string(), "3.14"}, both, dir() / "provide.sh");
  ASSERT_TRUE(r.success()) << output_of(r);
  EXPECT_EQ(r.stdout_text, "/b/python3.14\n/b/python3.14t\n" + now.string() + "\n");
  EXPECT_EQ(calls(), "gilguard build --source " + now.string() + " --flavor both\n");
  EXPECT_TRUE(contains(r.stderr_text, "CPython 3.14 source: " + now.string())) << output_of(r);

  const auto without = find({(dir() / "bin" / "gilguard").string()}, both, dir() / "provide.sh");
  EXPECT_FALSE(without.success()) << output_of(without);
  EXPECT_TRUE(contains(without.stderr_text, "give the CPython version")) << output_of(without);
}

}  // namespace
}  // namespace gilguard
