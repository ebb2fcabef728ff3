#include "gilguard/python/build.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "gilguard/baseline/build_record_codec.hpp"
#include "gilguard/util/files.hpp"
#include "support/test_util.hpp"

namespace gilguard::python {
namespace {

namespace fs = std::filesystem;

CacheKeyInputs base_inputs() {
  return {"tarball sha256=abc", Flavor::gil, false, {"--with-x"}, {{"CC", "gcc"}}};
}

TEST(CacheKey, SameInputsSameKey) {
  EXPECT_EQ(cache_key(base_inputs()), cache_key(base_inputs()));
  EXPECT_EQ(cache_key(base_inputs()).size(), 64u);
  EXPECT_NE(cache_key_text(base_inputs()).find(fmt::format("recipe={}", k_build_recipe_version)),
            std::string::npos);
}

TEST(CacheKey, EveryInputChangesTheKey) {
  const auto base = cache_key(base_inputs());
  auto changed = base_inputs();
  changed.source_identity = "tarball sha256=abd";
  EXPECT_NE(cache_key(changed), base) << "changed source";
  changed = base_inputs();
  changed.source_identity = "git tree=1234 dirty=99";
  EXPECT_NE(cache_key(changed),
            cache_key({"git tree=1234", Flavor::gil, false, {"--with-x"}, {{"CC", "gcc"}}}))
      << "dirty marker";
  changed = base_inputs();
  changed.flavor = Flavor::ft;
  EXPECT_NE(cache_key(changed), base) << "flavour";
  changed = base_inputs();
  changed.optimize = true;
  EXPECT_NE(cache_key(changed), base) << "--optimize";
  changed = base_inputs();
  changed.configure_args.push_back("--with-pydebug");
  EXPECT_NE(cache_key(changed), base) << "extra configure arg";
  changed = base_inputs();
  changed.build_variables["CFLAGS"] = "-O1";
  EXPECT_NE(cache_key(changed), base) << "CFLAGS";
}

TEST(CacheKey, ConfigureArgumentOrderMattersButArgumentBoundariesToo) {
  auto a = base_inputs();
  a.configure_args = {"--a", "--b"};
  auto b = base_inputs();
  b.configure_args = {"--b", "--a"};
  EXPECT_NE(cache_key(a), cache_key(b));
  auto c = base_inputs();
  c.configure_args = {"--a\nconfigure_arg=--b"};
  EXPECT_NE(cache_key(a), cache_key(c));
}

TEST(CacheKey, DirectoryNameHasFlavourAnd16HexDigits) {
  const auto key = cache_key(base_inputs());
  EXPECT_EQ(build_directory_name(Flavor::ft, key), "ft-" + key.substr(0, 16));
}

TEST(ConfigureArguments, FlavourOptimizeAndExtras) {
  const auto gil = configure_arguments(Flavor::gil, false, {}, "/p/install");
  EXPECT_EQ(gil, std::vector<std::string>{"--prefix=/p/install"});
  const auto ft = configure_arguments(Flavor::ft, true, {"--with-pydebug"}, "/p/install");
  EXPECT_EQ(ft,
            (std::vector<std::string>{"--prefix=/p/install", "--disable-gil",
                                      "--enable-optimizations", "--with-lto", "--with-pydebug"}));
}

TEST(DefaultBuildPrefix, XdgCacheHomeThenHome) {
  EXPECT_EQ(default_build_prefix({{"XDG_CACHE_HOME", "/xdg"}, {"HOME", "/home/u"}}),
            fs::path("/xdg/gilguard/cpython"));
  EXPECT_EQ(default_build_prefix({{"HOME", "/home/u"}}),
            fs::path("/home/u/.cache/gilguard/cpython"));
  EXPECT_EQ(default_build_prefix({{"XDG_CACHE_HOME", "relative"}, {"HOME", "/home/u"}}),
            fs::path("/home/u/.cache/gilguard/cpython"));
}

using test::make_fake_cpython;

// The message of the usage error `build` fails with (a test failure when it succeeds).
std::string build_error(const BuildRequest& r) {
  try {
    build(r, nullptr);
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.code(), ExitCode::usage);
    return failure.what();
  }
  ADD_FAILURE() << "build unexpectedly succeeded";
  return "";
}

class FakeBuild : public ::testing::Test {
 protected:
  void SetUp() override { make_fake_cpython(m_dir.path() / "src"); }
  BuildRequest request(std::vector<Flavor> flavors, std::vector<std::string> args = {}) {
    BuildRequest r;
    r.source = m_dir.path() / "src";
    r.prefix = m_dir.path() / "prefix";
    r.flavors = std::move(flavors);
    r.jobs = 1;
    r.configure_args = std::move(args);
    r.environment = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", m_dir.path().string()}};
    return r;
  }
  test::TempDir m_dir;
};

TEST_F(FakeBuild, BuildsBothFlavoursThenReusesThem) {
  const auto first = build(request({Flavor::gil, Flavor::ft}), nullptr);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].flavor, Flavor::gil);
  EXPECT_TRUE(first[0].interpreter.ends_with("/install/bin/python3.13")) << first[0].interpreter;
  EXPECT_TRUE(first[1].interpreter.ends_with("/install/bin/python3.13t")) << first[1].interpreter;
  EXPECT_FALSE(first[0].cache_hit);
  EXPECT_FALSE(first[1].cache_hit);
  const fs::path dir = fs::path(first[0].interpreter).parent_path().parent_path().parent_path();
  EXPECT_TRUE(fs::exists(dir / "complete.json"));
  EXPECT_TRUE(fs::exists(dir / "logs" / "configure.log"));
  EXPECT_NE(test::read_file(dir / "logs" / "configure.log").find("fake compiler"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "logs" / "make.log"));
  EXPECT_TRUE(fs::exists(dir / "logs" / "install.log"));

  const auto again = build(request({Flavor::gil, Flavor::ft}), nullptr);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].interpreter, first[0].interpreter);
  EXPECT_EQ(again[1].interpreter, first[1].interpreter);
  EXPECT_TRUE(again[0].cache_hit);
  EXPECT_TRUE(again[1].cache_hit);

  const auto records = list_complete_builds(m_dir.path() / "prefix");
  EXPECT_EQ(records.size(), 2u);
}

TEST_F(FakeBuild, ChangedFlagOrSourceRebuilds) {
  const auto first = build(request({Flavor::gil}), nullptr);
  const auto flagged = build(request({Flavor::gil}, {"--with-something"}), nullptr);
  EXPECT_FALSE(flagged[0].cache_hit);
  EXPECT_NE(flagged[0].interpreter, first[0].interpreter);
  test::write_file(m_dir.path() / "src" / "Objects" / "new.c", "int x;\n");
  const auto edited = build(request({Flavor::gil}), nullptr);
  EXPECT_FALSE(edited[0].cache_hit);
  EXPECT_NE(edited[0].interpreter, first[0].interpreter);
}

TEST_F(FakeBuild, FailedMakeNamesPhaseLogAndTailAndIsRedoneNextTime) {
  const fs::path flag = m_dir.path() / "fail-now";
  test::write_file(flag, "");
  const auto r = request({Flavor::gil}, {"--fail-if-exists=" + flag.string()});
  const std::string message = build_error(r);
  EXPECT_NE(message.find("[gil] make failed (exit status 2)"), std::string::npos) << message;
  EXPECT_NE(message.find("/logs/make.log"), std::string::npos) << message;
  EXPECT_NE(message.find("the test asked make to fail"), std::string::npos) << message;
  EXPECT_NE(message.find("run the same command again"), std::string::npos) << message;
  // Nothing that looks finished is left behind.
  for (const auto& entry : fs::directory_iterator(m_dir.path() / "prefix")) {
    EXPECT_FALSE(fs::exists(entry.path() / "complete.json")) << entry.path();
    EXPECT_FALSE(fs::exists(entry.path() / "install")) << entry.path();
  }
  EXPECT_TRUE(list_complete_builds(m_dir.path() / "prefix").empty());

  fs::remove(flag);
  const auto retried = build(r, nullptr);
  EXPECT_FALSE(retried[0].cache_hit);
  EXPECT_TRUE(build(r, nullptr)[0].cache_hit);
}

TEST_F(FakeBuild, FailedConfigureShowsConfigureError) {
  const std::string message = build_error(request({Flavor::ft}, {"--fail-configure"}));
  EXPECT_NE(message.find("[ft] configure failed (exit status 1)"), std::string::npos) << message;
  EXPECT_NE(message.find("/logs/configure.log"), std::string::npos) << message;
  EXPECT_NE(message.find("configure: error: the test asked configure to fail"), std::string::npos)
      << message;
}

TEST_F(FakeBuild, InterpreterOfTheWrongFlavourIsNotAccepted) {
  const std::string message = build_error(request({Flavor::ft}, {"--lie"}));
  EXPECT_NE(message.find("is a gil build (Py_GIL_DISABLED=0)"), std::string::npos) << message;
  EXPECT_TRUE(list_complete_builds(m_dir.path() / "prefix").empty());
}

TEST_F(FakeBuild, DamagedRecordOrMissingInterpreterMeansNotBuilt) {
  const auto first = build(request({Flavor::gil}), nullptr);
  const fs::path dir = fs::path(first[0].interpreter).parent_path().parent_path().parent_path();
  ASSERT_TRUE(read_complete_build(dir));
  test::write_file(dir / "complete.json", "{\"schema_version\": 1");
  EXPECT_FALSE(read_complete_build(dir));
  EXPECT_FALSE(build(request({Flavor::gil}), nullptr)[0].cache_hit);
  fs::remove(first[0].interpreter);
  EXPECT_FALSE(read_complete_build(dir));
  EXPECT_FALSE(build(request({Flavor::gil}), nullptr)[0].cache_hit);
}

// What `build` printed as progress, through a temporary file.
std::string progress_of(const BuildRequest& r,
                        std::vector<baseline::BuiltInterpreter>* built = nullptr) {
  std::FILE* file = std::tmpfile();
  EXPECT_NE(file, nullptr);
  try {
    auto result = build(r, file);
    if (built != nullptr) *built = std::move(result);
  } catch (const Failure& failure) {
    // The lines printed before the failure are what some callers want.
    if (built != nullptr) ADD_FAILURE() << failure.what();
  }
  std::fflush(file);
  std::rewind(file);
  std::string text;
  for (int c; (c = std::fgetc(file)) != EOF;) text += static_cast<char>(c);
  std::fclose(file);
  return text;
}

// The directory's name holds 16 digits of the key: a record naming another key (a key with the
// same prefix, an edited record), another flavour or an interpreter outside the directory is
// not reused, and the progress says why.
TEST_F(FakeBuild, ARecordOfAnotherKeyOrInterpreterIsRebuiltNotReused) {
  const auto first = build(request({Flavor::gil}), nullptr);
  const fs::path dir = fs::path(first[0].interpreter).parent_path().parent_path().parent_path();
  auto record = read_complete_build(dir);
  ASSERT_TRUE(record);
  const std::string key = record->key;
  record->key = key.substr(0, 16) + std::string(48, '0');
  test::write_file(dir / "complete.json", baseline::build_record_to_json_text(*record));
  std::vector<baseline::BuiltInterpreter> again;
  const std::string said = progress_of(request({Flavor::gil}), &again);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_FALSE(again[0].cache_hit) << said;
  EXPECT_NE(said.find("[gil] not reusing the build in " + dir.string()), std::string::npos) << said;
  EXPECT_NE(said.find("has the cache key " + key.substr(0, 16) + std::string(48, '0') +
                      ", not this build's " + key),
            std::string::npos)
      << said;
  EXPECT_EQ(read_complete_build(dir)->key, key);
  EXPECT_TRUE(build(request({Flavor::gil}), nullptr)[0].cache_hit);

  // A record pointing at an interpreter elsewhere (an executable that exists).
  record = read_complete_build(dir);
  record->interpreter = "/bin/sh";
  test::write_file(dir / "complete.json", baseline::build_record_to_json_text(*record));
  const std::string elsewhere = progress_of(request({Flavor::gil}), &again);
  EXPECT_FALSE(again[0].cache_hit) << elsewhere;
  EXPECT_NE(again[0].interpreter, "/bin/sh");
  EXPECT_NE(elsewhere.find("names the interpreter /bin/sh, outside"), std::string::npos)
      << elsewhere;
}

// Progress lines carry --source (and --ref, --prefix and paths under them): a line of that text
// that starts with "::" must not reach the log as a workflow command.
TEST(Build, ProgressLinesAreDefused) {
  test::TempDir dir;
  const fs::path source = dir.path() / "src\n::error title=injected::from the source path";
  make_fake_cpython(source);
  BuildRequest r;
  r.source = source;
  r.prefix = dir.path() / "prefix\n::warning::from the prefix";
  r.flavors = {Flavor::gil};
  r.jobs = 1;
  r.environment = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", dir.path().string()}};
  // The stand-in's Makefile cannot hold these paths, so the build fails after its first lines.
  const std::string said = progress_of(r);
  EXPECT_NE(said.find("from the source path"), std::string::npos) << said;
  EXPECT_NE(said.find("from the prefix"), std::string::npos) << said;
  std::istringstream lines(said);
  for (std::string line; std::getline(lines, line);)
    EXPECT_FALSE(line.starts_with("::")) << line << "\nin:\n" << said;
}

}  // namespace
}  // namespace gilguard::python

namespace gilguard::python {
namespace {

TEST(Build, PrefixInsideASourceTreeIsRefused) {
  test::TempDir dir;
  make_fake_cpython(dir.path());
  BuildRequest r;
  r.source = dir.path();
  r.prefix = dir.path() / "cache";
  r.flavors = {Flavor::gil};
  r.environment = {{"PATH", "/usr/bin:/bin"}, {"HOME", "/home/u"}};
  try {
    build(r, nullptr);
    ADD_FAILURE() << "expected a usage error";
  } catch (const Failure& failure) {
    const std::string message = failure.what();
    EXPECT_NE(message.find("is inside --source"), std::string::npos) << message;
    EXPECT_NE(message.find("/home/u/.cache/gilguard/cpython"), std::string::npos) << message;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "cache"));
}

}  // namespace
}  // namespace gilguard::python

namespace gilguard::python {
namespace {

// A git repository holding the fake CPython with two commits, "base" and "head", whose
// installed interpreters carry the content of marker.txt they were built from; builds of its
// revisions go to a prefix outside it.
class RefBuild : public ::testing::Test {
 protected:
  void SetUp() override {
    make_fake_cpython(repo());
    std::ofstream(repo() / "install.sh", std::ios::app)
        << "cp \"$(dirname \"$0\")/marker.txt\" \"$1/marker.txt\"\n";
    test::write_file(repo() / "marker.txt", "base\n");
    git({"init", "-q", "-b", "main"});
    git({"add", "."});
    git({"commit", "-q", "-m", "base"});
    test::write_file(repo() / "marker.txt", "head\n");
    git({"commit", "-q", "-am", "head"});
  }
  fs::path repo() const { return m_dir.path() / "cpython"; }
  fs::path prefix() const { return m_dir.path() / "prefix"; }
  std::string git(std::vector<std::string> args) { return test::run_git(repo(), std::move(args)); }

  BuildRequest request(std::string ref, std::vector<Flavor> flavors = {Flavor::gil}) {
    BuildRequest r;
    r.source = repo();
    r.ref = std::move(ref);
    r.prefix = prefix();
    r.flavors = std::move(flavors);
    r.jobs = 1;
    r.environment = {{"PATH", "/usr/local/bin:/usr/bin:/bin"}, {"HOME", m_dir.path().string()}};
    return r;
  }
  // The marker.txt an interpreter was built from.
  static std::string built_from(const baseline::BuiltInterpreter& built) {
    return test::read_file(fs::path(built.interpreter).parent_path().parent_path() / "marker.txt");
  }
  static baseline::BuildRecord record_of(const baseline::BuiltInterpreter& built) {
    const auto dir = fs::path(built.interpreter).parent_path().parent_path().parent_path();
    const auto record = read_complete_build(dir);
    if (!record) throw std::runtime_error("no complete build in " + dir.string());
    return *record;
  }
  test::TempDir m_dir;
};

TEST_F(RefBuild, TwoRevisionsGiveTwoBuildsOfTheirCommittedContent) {
  const auto base = build(request("HEAD~1", {Flavor::gil, Flavor::ft}), nullptr);
  const auto head = build(request("main", {Flavor::gil, Flavor::ft}), nullptr);
  ASSERT_EQ(base.size(), 2u);
  ASSERT_EQ(head.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_FALSE(base[i].cache_hit);
    EXPECT_FALSE(head[i].cache_hit);
    EXPECT_NE(base[i].interpreter, head[i].interpreter);
    EXPECT_EQ(built_from(base[i]), "base\n");
    EXPECT_EQ(built_from(head[i]), "head\n");
  }
  // The record and the summary name the commit; the key rests on the tree.
  const std::string base_commit = git({"rev-parse", "HEAD~1"});
  EXPECT_EQ(base[0].source_commit, base_commit);
  const auto record = record_of(base[1]);
  EXPECT_EQ(record.source_commit, base_commit);
  EXPECT_EQ(record.source_ref, "HEAD~1");
  EXPECT_EQ(record.source_identity, "git tree=" + git({"rev-parse", "HEAD~1^{tree}"}));
  EXPECT_NE(baseline::build_summary_to_json_text(base).find("\"commit\":\"" + base_commit + "\""),
            std::string::npos)
      << baseline::build_summary_to_json_text(base);
  // Each tree was checked out once, under the prefix.
  EXPECT_TRUE(fs::exists(prefix() / "sources" /
                         ("tree-" + git({"rev-parse", "HEAD~1^{tree}"}).substr(0, 16)) /
                         "configure"));
}

TEST_F(RefBuild, TheSameTreeAgainIsReusedWithoutCheckingOutAgain) {
  const auto first = build(request("HEAD"), nullptr);
  ASSERT_FALSE(first[0].cache_hit);
  fs::remove_all(prefix() / "sources");
  // Another commit with the same tree (and a tag naming it): the same build.
  git({"commit", "-q", "--allow-empty", "-m", "nothing changed"});
  git({"tag", "v1"});
  const auto again = build(request("v1"), nullptr);
  EXPECT_TRUE(again[0].cache_hit);
  EXPECT_EQ(again[0].interpreter, first[0].interpreter);
  EXPECT_EQ(again[0].source_commit, git({"rev-parse", "HEAD"}));
  EXPECT_FALSE(fs::exists(prefix() / "sources")) << "checked out although the build was cached";
  // A clean checkout of that tree is the same source too.
  BuildRequest work_tree = request("");
  EXPECT_TRUE(build(work_tree, nullptr)[0].cache_hit);
}

TEST_F(RefBuild, TheCheckoutsWorkTreeIndexAndHeadAreLeftAlone) {
  test::write_file(repo() / "marker.txt", "edited, not committed\n");
  test::write_file(repo() / "staged.txt", "staged\n");
  git({"add", "staged.txt"});
  const std::string status = git({"status", "--porcelain"});
  const std::string index = test::read_file(repo() / ".git" / "index");
  const std::string head = git({"rev-parse", "HEAD"});

  const auto built = build(request("HEAD"), nullptr);
  EXPECT_EQ(built_from(built[0]), "head\n") << "built the work tree, not the commit";
  EXPECT_EQ(git({"status", "--porcelain"}), status);
  EXPECT_EQ(test::read_file(repo() / ".git" / "index"), index);
  EXPECT_EQ(git({"rev-parse", "HEAD"}), head);
  EXPECT_EQ(test::read_file(repo() / "marker.txt"), "edited, not committed\n");
  EXPECT_FALSE(fs::exists(repo() / "Makefile"));
}

TEST_F(RefBuild, ABareRepositoryWorksToo) {
  test::run_git(m_dir.path(), {"clone", "-q", "--bare", repo().string(), "bare.git"});
  BuildRequest r = request("main~1");
  r.source = m_dir.path() / "bare.git";
  EXPECT_EQ(built_from(build(r, nullptr)[0]), "base\n");
}

TEST_F(RefBuild, AnUnknownRevisionIsNamedWithHowToFetchIt) {
  const std::string message = build_error(request("no-such-branch"));
  EXPECT_NE(message.find("revision 'no-such-branch' is not in " + repo().string()),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("git -C " + repo().string() + " fetch origin no-such-branch"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("shallow"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(prefix() / "sources"));
}

TEST_F(RefBuild, AShallowCloneSaysToFetchTheHistory) {
  test::run_git(m_dir.path(),
                {"clone", "-q", "--depth", "1", "file://" + repo().string(), "shallow"});
  BuildRequest r = request("HEAD~1");
  r.source = m_dir.path() / "shallow";
  const std::string message = build_error(r);
  EXPECT_NE(message.find("revision 'HEAD~1' is not in"), std::string::npos) << message;
  EXPECT_NE(message.find("is a shallow clone"), std::string::npos) << message;
  EXPECT_NE(message.find("fetch-depth: 0"), std::string::npos) << message;
}

TEST_F(RefBuild, NotARepositoryNotACommitAndNoCPythonAreRefused) {
  make_fake_cpython(m_dir.path() / "plain");
  BuildRequest plain = request("HEAD");
  plain.source = m_dir.path() / "plain";
  std::string message = build_error(plain);
  EXPECT_NE(message.find("is not a git repository"), std::string::npos) << message;
  EXPECT_NE(message.find("top directory of a git clone"), std::string::npos) << message;

  message = build_error(request("HEAD:marker.txt"));
  EXPECT_NE(message.find("names a blob, not a commit"), std::string::npos) << message;

  // A commit whose tree is only Include/: no configure at its top.
  const std::string odd = git({"commit-tree", "HEAD:Include", "-m", "not CPython"});
  message = build_error(request(odd));
  EXPECT_NE(message.find("holds no CPython source tree"), std::string::npos) << message;
  EXPECT_TRUE(list_complete_builds(prefix()).empty());
  // Nothing half made stays under sources/.
  for (const auto& entry : fs::directory_iterator(prefix() / "sources"))
    EXPECT_TRUE(entry.path().extension() == ".lock") << entry.path();
}

}  // namespace
}  // namespace gilguard::python
