#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gilguard/core/error.hpp"
#include "gilguard/util/process.hpp"

namespace gilguard::git {

// A commit author or committer.
struct Identity {
  std::string name;
  std::string email;

  friend bool operator==(const Identity&, const Identity&) = default;
};

// Who commits when neither the environment nor the git configuration says (a GitHub runner has
// no user.name): "gilguard-bot <gilguard-bot@users.noreply.github.com>".
Identity bot_identity();

// The identity for `role` ("AUTHOR" or "COMMITTER"), field by field: GIT_<ROLE>_NAME /
// GIT_<ROLE>_EMAIL from `env` when set and non-empty, else `config` (user.name / user.email),
// else the bot identity; the same order git itself uses, minus the guessing from the host name.
Identity resolve_identity(std::string_view role, const util::Environment& env,
                          const Identity& config);

// What to commit.
struct CommitRequest {
  // A path inside the work tree (the baselines directory); the repository is found from it
  // upwards, as git does.
  std::filesystem::path start;
  // Exactly the files to commit, with their content on disk now. Nothing else goes in.
  std::vector<std::filesystem::path> files;
  std::string message;
  // Where GIT_AUTHOR_NAME/EMAIL and GIT_COMMITTER_NAME/EMAIL are read from.
  util::Environment env;
};

// What commit_files did.
struct CommitOutcome {
  bool created = false;            // false: the files already matched HEAD, nothing committed
  std::string commit_id;           // hex id of the new commit (or of HEAD when not created)
  std::vector<std::string> paths;  // the files, relative to the work tree, '/'-separated
  Identity author;
  Identity committer;
};

// Fails, saying what to fix, when commit_files(request) could not commit: `request.start` lies
// in no repository or in a bare one, a file lies outside the work tree, or another git holds
// the index lock (.git/index.lock). Run it before writing anything, so that a --commit that
// cannot commit changes nothing. `request.start` and the files need not exist yet.
Expected<void> check_can_commit(const CommitRequest& request);

// Commits exactly `request.files` on top of HEAD with libgit2: the new tree is HEAD's tree
// with only those paths replaced (the index is not written as a tree, so other staged changes
// stay staged and out of the commit), then the index entries of just those paths are updated
// so `git status` shows them clean. Works on an unborn HEAD (first commit), a detached HEAD
// and shallow clones. Errors say what failed and what to do; the checks of check_can_commit
// come first, so a locked index fails before a commit is created.
Expected<CommitOutcome> commit_files(const CommitRequest& request);

}  // namespace gilguard::git
