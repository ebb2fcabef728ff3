#include "gilguard/python/build.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

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

// A stand-in CPython tree: its configure writes a Makefile whose install puts a fake
// python3.13[t] into the prefix that answers gilguard's probe like a real one would.
// `--fail-if-exists=FILE` makes make fail while FILE exists; `--lie` installs the wrong flavour.
void make_fake_cpython(const fs::path& dir) {
  test::write_file(dir / "Include" / "Python.h", "/* fake */\n");
  test::write_file(dir / "configure", R"SH(#!/bin/sh
prefix=; ft=false; name=python3.13; failflag=/nonexistent
for a in "$@"; do
  case "$a" in
    --prefix=*) prefix="${a#--prefix=}" ;;
    --disable-gil) ft=true; name=python3.13t ;;
    --lie) lie=1 ;;
    --fail-if-exists=*) failflag="${a#--fail-if-exists=}" ;;
    --fail-configure) echo "configure: error: the test asked configure to fail" >&2; exit 1 ;;
  esac
done
[ -n "$lie" ] && { if [ $ft = true ]; then ft=false; else ft=true; fi; }
echo "checking for a fake compiler... yes"
src=$(dirname "$0")
printf 'all:\n\t@test ! -e %s || { echo "the test asked make to fail" >&2; exit 1; }\n\t@echo compiled\ninstall:\n\tsh %s/install.sh %s %s %s\n' \
  "$failflag" "$src" "$prefix" "$ft" "$name" > Makefile
)SH");
  ::chmod((dir / "configure").c_str(), 0755);
  test::write_file(dir / "install.sh", R"SH(mkdir -p "$1/bin"
cat > "$1/bin/$3" <<EOF
#!/bin/sh
echo 'GILGUARD-FACTS {"path": "p", "executable": "/p", "version": "3.13.5", "implementation": "cpython", "py_gil_disabled": $2, "gil_enabled_at_start": false, "config_args": "", "platform": "linux-x86_64", "logical_cpus": 2, "usable_cpus": 2}'
EOF
chmod +x "$1/bin/$3"
)SH");
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
