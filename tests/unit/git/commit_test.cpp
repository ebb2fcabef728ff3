#include "gilguard/git/commit.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "support/test_util.hpp"

namespace gilguard::git {
namespace {

namespace fs = std::filesystem;

// The git CLI's environment: no user or system config, a fixed identity for setup commits.
util::Environment git_env(const fs::path& home) {
  return {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
          {"HOME", home.string()},
          {"GIT_CONFIG_NOSYSTEM", "1"},
          {"GIT_AUTHOR_NAME", "Setup"},
          {"GIT_AUTHOR_EMAIL", "setup@example.com"},
          {"GIT_COMMITTER_NAME", "Setup"},
          {"GIT_COMMITTER_EMAIL", "setup@example.com"}};
}

// A scratch area with a helper to run git in it.
class GitCommitTest : public testing::Test {
 protected:
  // Runs git with `args` in `dir`; throws with git's stderr when it fails. Returns stdout.
  std::string git(const fs::path& dir, std::vector<std::string> args) {
    args.insert(args.begin(), "git");
    util::ProcessOptions options;
    options.working_directory = dir;
    auto result = util::run_process(args, git_env(m_tmp.path() / "home"), options);
    if (!result) throw std::runtime_error(result.error().message);
    if (!result->success())
      throw std::runtime_error(fmt::format("{} failed: {}\n{}", fmt::join(args, " "),
                                           result->describe(), result->stderr_text));
    return result->stdout_text;
  }

  // A bare "origin" with two commits on main: README and baselines/other.json.
  fs::path make_origin() {
    fs::create_directories(m_tmp.path() / "home");
    const fs::path seed = m_tmp.path() / "seed";
    fs::create_directories(seed);
    git(seed, {"init", "-q", "-b", "main"});
    test::write_file(seed / "README.md", "hello\n");
    git(seed, {"add", "README.md"});
    git(seed, {"commit", "-q", "-m", "first"});
    test::write_file(seed / "baselines" / "other.json", "{}\n");
    git(seed, {"add", "baselines/other.json"});
    git(seed, {"commit", "-q", "-m", "second"});
    const fs::path origin = m_tmp.path() / "origin.git";
    git(m_tmp.path(), {"clone", "-q", "--bare", seed.string(), origin.string()});
    return origin;
  }

  // Writes a new baseline file and stages an unrelated change, as a user might have.
  fs::path prepare_clone(const fs::path& clone) {
    test::write_file(clone / "unrelated.txt", "staged, not for the baseline commit\n");
    git(clone, {"add", "unrelated.txt"});
    const fs::path file = clone / "baselines" / "linux-x86_64-cpu2-py3.13-primes-r1000000.json";
    test::write_file(file, "{\"schema_version\": 1}\n");
    return file;
  }

  // Env for commit_files: a distinct author and committer.
  static util::Environment identity_env() {
    return {{"GIT_AUTHOR_NAME", "Ada Author"},
            {"GIT_AUTHOR_EMAIL", "ada@example.com"},
            {"GIT_COMMITTER_NAME", "Carl Committer"},
            {"GIT_COMMITTER_EMAIL", "carl@example.com"}};
  }

  // Checks the commit contains exactly `path`, on top of `parent`, and the rest is untouched.
  void expect_only_baseline_committed(const fs::path& clone, const std::string& parent,
                                      const CommitOutcome& outcome) {
    const std::string path = "baselines/linux-x86_64-cpu2-py3.13-primes-r1000000.json";
    EXPECT_TRUE(outcome.created);
    EXPECT_EQ(outcome.paths, std::vector<std::string>{path});
    EXPECT_EQ(git(clone, {"rev-parse", "HEAD"}), outcome.commit_id + "\n");
    EXPECT_EQ(git(clone, {"rev-parse", "HEAD^"}), parent);
    EXPECT_EQ(git(clone, {"show", "--name-only", "--format=", "HEAD"}), path + "\n");
    EXPECT_EQ(git(clone, {"show", "HEAD:" + path}), "{\"schema_version\": 1}\n");
    // The unrelated file is still staged, and the baseline shows clean.
    EXPECT_EQ(git(clone, {"status", "--porcelain"}), "A  unrelated.txt\n");
    EXPECT_EQ(git(clone, {"log", "-1", "--format=%an <%ae>|%cn <%ce>"}),
              "Ada Author <ada@example.com>|Carl Committer <carl@example.com>\n");
    EXPECT_EQ(git(clone, {"log", "-1", "--format=%B"}),
              "baselines: update linux-x86_64-cpu2-py3.13-primes-r1000000\n\nbody line\n\n");
  }

  test::TempDir m_tmp;
};

const std::string k_message =
    "baselines: update linux-x86_64-cpu2-py3.13-primes-r1000000\n\nbody line\n";

TEST_F(GitCommitTest, CommitsOnlyTheBaselineInAFullClone) {
  const fs::path origin = make_origin();
  const fs::path clone = m_tmp.path() / "clone";
  git(m_tmp.path(), {"clone", "-q", "file://" + origin.string(), clone.string()});
  const std::string parent = git(clone, {"rev-parse", "HEAD"});
  const fs::path file = prepare_clone(clone);

  auto outcome = commit_files({clone / "baselines", {file}, k_message, identity_env()});
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  expect_only_baseline_committed(clone, parent, *outcome);
  EXPECT_EQ(outcome->author, (Identity{"Ada Author", "ada@example.com"}));
  EXPECT_EQ(outcome->committer, (Identity{"Carl Committer", "carl@example.com"}));
  // The branch moved, and git sees a sound repository.
  EXPECT_EQ(git(clone, {"rev-parse", "main"}), outcome->commit_id + "\n");
  git(clone, {"fsck", "--no-progress"});
}

TEST_F(GitCommitTest, WorksInAShallowCloneAndCanBePushed) {
  const fs::path origin = make_origin();
  const fs::path clone = m_tmp.path() / "shallow";
  git(m_tmp.path(), {"clone", "-q", "--depth", "1", "file://" + origin.string(), clone.string()});
  ASSERT_EQ(git(clone, {"rev-parse", "--is-shallow-repository"}), "true\n");
  const std::string parent = git(clone, {"rev-parse", "HEAD"});
  const fs::path file = prepare_clone(clone);

  auto outcome = commit_files({file.parent_path(), {file}, k_message, identity_env()});
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  expect_only_baseline_committed(clone, parent, *outcome);
  EXPECT_EQ(git(clone, {"rev-list", "--count", "HEAD"}), "2\n");
  // What the workflow does next: push the new commit.
  git(clone, {"push", "-q", "origin", "HEAD:main"});
  EXPECT_EQ(git(origin, {"rev-parse", "main"}), outcome->commit_id + "\n");
}

TEST_F(GitCommitTest, WorksOnADetachedHead) {
  const fs::path origin = make_origin();
  const fs::path clone = m_tmp.path() / "clone";
  git(m_tmp.path(), {"clone", "-q", "file://" + origin.string(), clone.string()});
  git(clone, {"checkout", "-q", "--detach"});
  const std::string parent = git(clone, {"rev-parse", "HEAD"});
  const fs::path file = prepare_clone(clone);
  auto outcome = commit_files({clone, {file}, k_message, identity_env()});
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  expect_only_baseline_committed(clone, parent, *outcome);
  EXPECT_EQ(git(clone, {"rev-parse", "main"}), parent);  // the branch stays where it was
}

TEST_F(GitCommitTest, FirstCommitOnAnUnbornHead) {
  fs::create_directories(m_tmp.path() / "home");
  const fs::path repo = m_tmp.path() / "fresh";
  fs::create_directories(repo);
  git(repo, {"init", "-q", "-b", "trunk"});
  test::write_file(repo / "other.txt", "untracked, not committed\n");
  const fs::path file = repo / "baselines" / "k.json";
  test::write_file(file, "{}\n");

  auto outcome = commit_files({repo / "baselines", {file}, "first baseline\n", identity_env()});
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_TRUE(outcome->created);
  EXPECT_EQ(git(repo, {"rev-parse", "trunk"}), outcome->commit_id + "\n");
  EXPECT_EQ(git(repo, {"rev-list", "--count", "HEAD"}), "1\n");
  EXPECT_EQ(git(repo, {"ls-tree", "-r", "--name-only", "HEAD"}), "baselines/k.json\n");
  EXPECT_EQ(git(repo, {"status", "--porcelain"}), "?? other.txt\n");
}

TEST_F(GitCommitTest, UnchangedFilesMakeNoCommit) {
  const fs::path origin = make_origin();
  const fs::path clone = m_tmp.path() / "clone";
  git(m_tmp.path(), {"clone", "-q", "file://" + origin.string(), clone.string()});
  const std::string head = git(clone, {"rev-parse", "HEAD"});
  auto outcome =
      commit_files({clone, {clone / "baselines" / "other.json"}, k_message, identity_env()});
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_FALSE(outcome->created);
  EXPECT_EQ(outcome->commit_id + "\n", head);
  EXPECT_EQ(git(clone, {"rev-parse", "HEAD"}), head);
}

TEST_F(GitCommitTest, RepositoryConfigIdentityWithoutEnvironment) {
  const fs::path origin = make_origin();
  const fs::path clone = m_tmp.path() / "clone";
  git(m_tmp.path(), {"clone", "-q", "file://" + origin.string(), clone.string()});
  git(clone, {"config", "user.name", "Config Person"});
  git(clone, {"config", "user.email", "config@example.com"});
  const fs::path file = prepare_clone(clone);
  auto outcome = commit_files({clone, {file}, k_message, {}});
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(git(clone, {"log", "-1", "--format=%an <%ae>|%cn <%ce>"}),
            "Config Person <config@example.com>|Config Person <config@example.com>\n");
}

TEST_F(GitCommitTest, FileOutsideTheWorkTreeIsRefused) {
  const fs::path origin = make_origin();
  const fs::path clone = m_tmp.path() / "clone";
  git(m_tmp.path(), {"clone", "-q", "file://" + origin.string(), clone.string()});
  const fs::path outside = m_tmp.path() / "elsewhere.json";
  test::write_file(outside, "{}\n");
  auto outcome = commit_files({clone, {outside}, k_message, identity_env()});
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().message,
            outside.string() + " is outside the git work tree " + fs::canonical(clone).string() +
                "; keep the baselines directory inside the repository that --commit commits to");
}

// Another git holding the index: no commit is created (before, the commit was made and only
// the index update failed), and check_can_commit says so before anything is written.
TEST_F(GitCommitTest, LockedIndexIsRefusedBeforeCommitting) {
  const fs::path origin = make_origin();
  const fs::path clone = m_tmp.path() / "clone";
  git(m_tmp.path(), {"clone", "-q", "file://" + origin.string(), clone.string()});
  const std::string head = git(clone, {"rev-parse", "HEAD"});
  const fs::path file = prepare_clone(clone);
  const fs::path lock = clone / ".git" / "index.lock";
  test::write_file(lock, "");
  const CommitRequest request{clone / "baselines", {file}, k_message, identity_env()};
  auto checked = check_can_commit(request);
  ASSERT_FALSE(checked.has_value());
  EXPECT_EQ(checked.error().message.find(" exists: another git process is using the repository"),
            checked.error().message.find("index.lock") + std::string("index.lock").size())
      << checked.error().message;
  auto outcome = commit_files(request);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().message, checked.error().message);
  EXPECT_EQ(git(clone, {"rev-parse", "HEAD"}), head);

  fs::remove(lock);
  EXPECT_TRUE(check_can_commit(request).has_value());
}

TEST_F(GitCommitTest, CheckCanCommitBeforeTheDirectoryExists) {
  const fs::path origin = make_origin();
  const fs::path clone = m_tmp.path() / "clone";
  git(m_tmp.path(), {"clone", "-q", "file://" + origin.string(), clone.string()});
  const fs::path dir = clone / "new" / "baselines";
  auto checked = check_can_commit({dir, {dir / "k.json"}, k_message, identity_env()});
  EXPECT_TRUE(checked.has_value()) << checked.error().message;
  EXPECT_FALSE(fs::exists(clone / "new"));

  const fs::path bare_dir = origin / "baselines";
  checked = check_can_commit({bare_dir, {bare_dir / "k.json"}, k_message, identity_env()});
  ASSERT_FALSE(checked.has_value());
  EXPECT_NE(checked.error().message.find(" is bare; --commit needs a work tree"), std::string::npos)
      << checked.error().message;
}

TEST_F(GitCommitTest, NoRepositoryIsAClearError) {
  const fs::path plain = m_tmp.path() / "plain";
  fs::create_directories(plain);
  test::write_file(plain / "k.json", "{}\n");
  auto outcome = commit_files({plain, {plain / "k.json"}, k_message, identity_env()});
  ASSERT_FALSE(outcome.has_value());
  const std::string& message = outcome.error().message;
  EXPECT_EQ(message.rfind("no git repository contains " + plain.string() + " (", 0), 0u) << message;
  EXPECT_NE(message.find("); --commit needs the baselines directory inside a git checkout (in a "
                         "workflow, run actions/checkout first)"),
            std::string::npos)
      << message;
}

TEST(GitIdentity, EnvironmentThenConfigThenBot) {
  const Identity config{"Config Person", "config@example.com"};
  EXPECT_EQ(
      resolve_identity("AUTHOR", {{"GIT_AUTHOR_NAME", "A"}, {"GIT_AUTHOR_EMAIL", "a@x"}}, config),
      (Identity{"A", "a@x"}));
  EXPECT_EQ(resolve_identity("COMMITTER", {{"GIT_AUTHOR_NAME", "A"}}, config), config);
  EXPECT_EQ(resolve_identity("AUTHOR", {}, {}), bot_identity());
  EXPECT_EQ(bot_identity(), (Identity{"gilguard-bot", "gilguard-bot@users.noreply.github.com"}));
  // Field by field, and an empty variable counts as unset.
  EXPECT_EQ(
      resolve_identity("COMMITTER", {{"GIT_COMMITTER_NAME", "C"}, {"GIT_COMMITTER_EMAIL", ""}}, {}),
      (Identity{"C", "gilguard-bot@users.noreply.github.com"}));
  EXPECT_EQ(resolve_identity("AUTHOR", {{"GIT_AUTHOR_EMAIL", "e@x"}}, config),
            (Identity{"Config Person", "e@x"}));
}

}  // namespace
}  // namespace gilguard::git
