#include "gilguard/git/revision.hpp"

#include <gtest/gtest.h>

#include "support/test_util.hpp"

namespace gilguard::git {
namespace {

namespace fs = std::filesystem;
using test::run_git;

// A repository with two commits on main, a tag on the first and an executable file.
class RevisionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(repo());
    run_git(repo(), {"init", "-q", "-b", "main"});
    test::write_file(repo() / "a.txt", "one\n");
    test::write_file(repo() / "bin" / "run.sh", "#!/bin/sh\necho run\n");
    fs::permissions(repo() / "bin" / "run.sh", fs::perms::owner_exec, fs::perm_options::add);
    run_git(repo(), {"add", "."});
    run_git(repo(), {"commit", "-q", "-m", "first"});
    run_git(repo(), {"tag", "-a", "v1", "-m", "an annotated tag"});
    test::write_file(repo() / "a.txt", "two\n");
    run_git(repo(), {"commit", "-q", "-am", "second"});
  }
  fs::path repo() const { return m_dir.path() / "repo"; }
  Revision resolved(const std::string& spec) {
    auto result = resolve_revision(repo(), spec);
    EXPECT_TRUE(result) << spec << ": " << (result ? "" : result.error().message);
    return result ? *result : Revision{};
  }
  test::TempDir m_dir;
};

TEST_F(RevisionTest, NamesOfOneCommitResolveToItAndItsTree) {
  const std::string first = run_git(repo(), {"rev-parse", "HEAD~1"});
  const std::string tree = run_git(repo(), {"rev-parse", "HEAD~1^{tree}"});
  for (const std::string& spec :
       std::vector<std::string>{"HEAD~1", "v1", "main^", first, first.substr(0, 10)}) {
    const auto revision = resolved(spec);
    EXPECT_EQ(revision.commit, first) << spec;
    EXPECT_EQ(revision.tree, tree) << spec;
  }
  EXPECT_EQ(resolved("HEAD").commit, run_git(repo(), {"rev-parse", "HEAD"}));
}

TEST_F(RevisionTest, ExportWritesTheCommittedFilesWithTheirModesAndNothingElse) {
  test::write_file(repo() / "a.txt", "edited in the work tree\n");
  const std::string index = test::read_file(repo() / ".git" / "index");
  const auto first = resolved("v1");
  const fs::path target = m_dir.path() / "out";
  const auto exported = export_tree(repo(), first.tree, target);
  ASSERT_TRUE(exported) << exported.error().message;
  EXPECT_EQ(test::read_file(target / "a.txt"), "one\n");
  EXPECT_NE(fs::status(target / "bin" / "run.sh").permissions() & fs::perms::owner_exec,
            fs::perms::none);
  EXPECT_EQ(fs::status(target / "a.txt").permissions() & fs::perms::owner_exec, fs::perms::none);
  EXPECT_FALSE(fs::exists(target / ".git"));
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(target))
    files += entry.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 2u);
  // The repository's own work tree and index are as they were.
  EXPECT_EQ(test::read_file(repo() / "a.txt"), "edited in the work tree\n");
  EXPECT_EQ(test::read_file(repo() / ".git" / "index"), index);
  EXPECT_EQ(run_git(repo(), {"status", "--porcelain"}), " M a.txt");

  const auto again = export_tree(repo(), first.tree, target);
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message.find("it exists already"), std::string::npos);
}

TEST_F(RevisionTest, ErrorsSayWhatIsWrongAndWhatToDo) {
  auto missing = resolve_revision(repo(), "feature/x");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("revision 'feature/x' is not in " + repo().string()),
            std::string::npos)
      << missing.error().message;
  EXPECT_NE(missing.error().message.find("fetch origin feature/x"), std::string::npos);

  auto blob = resolve_revision(repo(), "HEAD:a.txt");
  ASSERT_FALSE(blob);
  EXPECT_NE(blob.error().message.find("names a blob, not a commit"), std::string::npos)
      << blob.error().message;

  auto empty = resolve_revision(repo(), "");
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("is empty"), std::string::npos);

  // The work tree's subdirectory is not the repository's top.
  auto sub = resolve_revision(repo() / "bin", "HEAD");
  ASSERT_FALSE(sub);
  EXPECT_NE(sub.error().message.find("is not a git repository"), std::string::npos)
      << sub.error().message;
}

}  // namespace
}  // namespace gilguard::git
