#include "gilguard/git/repository.hpp"

#include <gtest/gtest.h>

#include "support/test_util.hpp"

namespace gilguard::git {
namespace {

using test::run_git;

class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    run_git(m_dir.path(), {"init", "-q", "-b", "main"});
    test::write_file(m_dir.path() / "a.txt", "one\n");
    test::write_file(m_dir.path() / "sub" / "b.txt", "two\n");
    run_git(m_dir.path(), {"add", "."});
    run_git(m_dir.path(), {"commit", "-q", "-m", "first"});
  }
  WorkTreeState state() {
    auto result = read_work_tree_state(m_dir.path());
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    return result ? *result : WorkTreeState{};
  }
  test::TempDir m_dir;
};

TEST_F(RepositoryTest, CleanTreeReportsHeadTreeAndNoChanges) {
  const auto s = state();
  EXPECT_EQ(s.head_tree, run_git(m_dir.path(), {"rev-parse", "HEAD^{tree}"}));
  EXPECT_EQ(s.head_commit, run_git(m_dir.path(), {"rev-parse", "HEAD"}));
  EXPECT_FALSE(s.dirty());
  EXPECT_TRUE(is_work_tree_root(m_dir.path()));
  EXPECT_FALSE(is_work_tree_root(m_dir.path() / "sub"));
}

TEST_F(RepositoryTest, EditsUntrackedFilesAndStagingAreChanges) {
  test::write_file(m_dir.path() / "a.txt", "one changed\n");
  const auto first = state();
  ASSERT_TRUE(first.dirty());
  ASSERT_EQ(first.changes.size(), 1u);
  EXPECT_NE(first.changes[0].find("a.txt"), std::string::npos);

  // A second edit of an already modified file is a different state.
  test::write_file(m_dir.path() / "a.txt", "one changed again\n");
  EXPECT_NE(state().changes, first.changes);

  test::write_file(m_dir.path() / "new.c", "int x;\n");
  EXPECT_EQ(state().changes.size(), 2u);

  run_git(m_dir.path(), {"add", "a.txt"});
  const auto staged = state();
  EXPECT_EQ(staged.changes.size(), 2u);
  EXPECT_EQ(staged.head_tree, first.head_tree);
}

TEST_F(RepositoryTest, IgnoredFilesAreNotChanges) {
  test::write_file(m_dir.path() / ".gitignore", "build/\n");
  run_git(m_dir.path(), {"add", ".gitignore"});
  run_git(m_dir.path(), {"commit", "-q", "-m", "ignore"});
  test::write_file(m_dir.path() / "build" / "python", "binary");
  EXPECT_FALSE(state().dirty());
}

TEST_F(RepositoryTest, CommittingChangesTheTreeAndCleansTheState) {
  const auto before = state();
  test::write_file(m_dir.path() / "a.txt", "three\n");
  run_git(m_dir.path(), {"commit", "-q", "-am", "second"});
  const auto after = state();
  EXPECT_NE(after.head_tree, before.head_tree);
  EXPECT_FALSE(after.dirty());
}

TEST_F(RepositoryTest, HeadCommitIsFoundFromASubdirectory) {
  const auto expected = run_git(m_dir.path(), {"rev-parse", "HEAD"});
  EXPECT_EQ(head_commit_containing(m_dir.path()), expected);
  EXPECT_EQ(head_commit_containing(m_dir.path() / "sub"), expected);
  test::write_file(m_dir.path() / "a.txt", "edited\n");
  run_git(m_dir.path(), {"commit", "-q", "-am", "second"});
  EXPECT_NE(head_commit_containing(m_dir.path() / "sub"), expected);
  EXPECT_EQ(head_commit_containing(m_dir.path() / "sub"),
            run_git(m_dir.path(), {"rev-parse", "HEAD"}));
}

TEST(Repository, NoHeadCommitOutsideARepositoryOrBeforeTheFirstCommit) {
  test::TempDir dir;
  EXPECT_EQ(head_commit_containing(dir.path()), std::nullopt);
  run_git(dir.path(), {"init", "-q"});
  EXPECT_EQ(head_commit_containing(dir.path()), std::nullopt);
}

TEST(Repository, NotARepositoryIsAnErrorNamingThePath) {
  test::TempDir dir;
  const auto result = read_work_tree_state(dir.path());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find(dir.path().string() + " is not a git repository"),
            std::string::npos)
      << result.error().message;
}

TEST(Repository, RepositoryWithoutCommitsSaysToCheckOutACommit) {
  test::TempDir dir;
  run_git(dir.path(), {"init", "-q"});
  const auto result = read_work_tree_state(dir.path());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("cannot read HEAD"), std::string::npos)
      << result.error().message;
}

}  // namespace
}  // namespace gilguard::git
