#include "gilguard/python/source.hpp"

#include <gtest/gtest.h>

#include "support/test_util.hpp"

namespace gilguard::python {
namespace {

void make_cpython_tree(const std::filesystem::path& dir) {
  test::write_file(dir / "configure", "#!/bin/sh\n");
  test::write_file(dir / "Include" / "Python.h", "/* Python.h */\n");
}

std::string identity_of(const std::filesystem::path& path) {
  const auto source = classify_source(path);
  EXPECT_TRUE(source) << (source ? "" : source.error().message);
  if (!source) return "";
  const auto identity = source_identity(*source);
  EXPECT_TRUE(identity) << (identity ? "" : identity.error().message);
  return identity ? *identity : "";
}

TEST(ClassifySource, TarballsByName) {
  test::TempDir dir;
  for (const std::string name :
       {"Python-3.13.5.tar.xz", "p.tgz", "python3.13_3.13.5.orig.tar.gz"}) {
    test::write_file(dir.path() / name, "x");
    const auto source = classify_source(dir.path() / name);
    ASSERT_TRUE(source) << name;
    EXPECT_EQ(source->kind, SourceKind::tarball) << name;
    EXPECT_TRUE(source->path.is_absolute());
  }
  test::write_file(dir.path() / "Python.zip", "x");
  const auto zip = classify_source(dir.path() / "Python.zip");
  ASSERT_FALSE(zip);
  EXPECT_NE(zip.error().message.find("neither a directory nor a .tar.xz/.tar.gz tarball"),
            std::string::npos);
}

TEST(ClassifySource, TreeGitAndNotCPython) {
  test::TempDir dir;
  make_cpython_tree(dir.path() / "tree");
  const auto tree = classify_source(dir.path() / "tree");
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->kind, SourceKind::tree);

  make_cpython_tree(dir.path() / "checkout");
  test::run_git(dir.path() / "checkout", {"init", "-q"});
  const auto checkout = classify_source(dir.path() / "checkout");
  ASSERT_TRUE(checkout);
  EXPECT_EQ(checkout->kind, SourceKind::git);

  test::write_file(dir.path() / "other" / "configure", "#!/bin/sh\n");
  const auto other = classify_source(dir.path() / "other");
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("is not a CPython source tree"), std::string::npos);
  EXPECT_NE(other.error().message.find("scripts/find-cpython-source.sh"), std::string::npos);
}

TEST(ClassifySource, MissingPathSaysWhatToPass) {
  test::TempDir dir;
  const auto missing = classify_source(dir.path() / "nope.tar.xz");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nope.tar.xz: no such file or directory"),
            std::string::npos);
  EXPECT_NE(missing.error().message.find("pass a CPython source tarball"), std::string::npos);
}

TEST(SourceIdentity, TarballFollowsContent) {
  test::TempDir dir;
  test::write_file(dir.path() / "a.tar.xz", "content one");
  const auto first = identity_of(dir.path() / "a.tar.xz");
  EXPECT_TRUE(first.starts_with("tarball sha256=")) << first;
  EXPECT_EQ(identity_of(dir.path() / "a.tar.xz"), first);
  test::write_file(dir.path() / "a.tar.xz", "content two");
  EXPECT_NE(identity_of(dir.path() / "a.tar.xz"), first);
}

TEST(SourceIdentity, TreeFollowsContentNamesAndModes) {
  test::TempDir dir;
  make_cpython_tree(dir.path());
  test::write_file(dir.path() / "Objects" / "object.c", "int a;\n");
  const auto first = identity_of(dir.path());
  EXPECT_TRUE(first.starts_with("tree sha256=")) << first;
  EXPECT_EQ(identity_of(dir.path()), first);

  test::write_file(dir.path() / "Objects" / "object.c", "int b;\n");
  const auto edited = identity_of(dir.path());
  EXPECT_NE(edited, first);

  std::filesystem::rename(dir.path() / "Objects" / "object.c", dir.path() / "Objects" / "o.c");
  const auto renamed = identity_of(dir.path());
  EXPECT_NE(renamed, edited);

  std::filesystem::permissions(dir.path() / "configure", std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  EXPECT_NE(identity_of(dir.path()), renamed);
}

TEST(SourceIdentity, GitCheckoutUsesHeadTreeAndADirtyMarker) {
  test::TempDir dir;
  make_cpython_tree(dir.path());
  test::run_git(dir.path(), {"init", "-q"});
  test::run_git(dir.path(), {"add", "."});
  test::run_git(dir.path(), {"commit", "-q", "-m", "c"});
  const auto clean = identity_of(dir.path());
  EXPECT_TRUE(clean.starts_with("git tree=")) << clean;
  EXPECT_EQ(clean.find("dirty"), std::string::npos) << clean;

  test::write_file(dir.path() / "Include" / "Python.h", "/* changed */\n");
  const auto dirty = identity_of(dir.path());
  EXPECT_TRUE(dirty.starts_with(clean + " dirty=")) << dirty;

  test::write_file(dir.path() / "Include" / "Python.h", "/* changed again */\n");
  const auto dirtier = identity_of(dir.path());
  EXPECT_NE(dirtier, dirty);

  test::run_git(dir.path(), {"commit", "-q", "-am", "d"});
  const auto committed = identity_of(dir.path());
  EXPECT_EQ(committed.find("dirty"), std::string::npos);
  EXPECT_NE(committed, clean);
}

}  // namespace
}  // namespace gilguard::python
