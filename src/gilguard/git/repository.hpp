#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gilguard/core/error.hpp"

namespace gilguard::git {

// What a work tree holds, as far as "is this the same source?" goes (read-only facts).
struct WorkTreeState {
  std::string head_commit;  // hex id of the HEAD commit
  std::string head_tree;    // hex id of HEAD's tree: the committed content
  // One line per file that differs from HEAD, sorted: "<status flags> <path> <content id>",
  // where the content id is the git blob id of the file in the work tree ("-" when deleted)
  // and of the staged version. Untracked files count; ignored files do not.
  std::vector<std::string> changes;

  // True when the work tree or the index differs from HEAD.
  bool dirty() const { return !changes.empty(); }
};

// True when `path` itself is the top of a git work tree (holds a .git directory or file).
bool is_work_tree_root(const std::filesystem::path& path);

// Reads HEAD and the status of the work tree at `work_tree` (its top, not searched upwards)
// with libgit2. Fails, naming the path, when it is not a repository or HEAD has no commit.
Expected<WorkTreeState> read_work_tree_state(const std::filesystem::path& work_tree);

// The top of the git work tree that contains the directory `dir`, searching upwards from it
// like git does; nullopt when it is in no repository or the repository is bare.
std::optional<std::filesystem::path> work_tree_containing(const std::filesystem::path& dir);

// The HEAD commit (hex id) of the git work tree that contains `path`, searching upwards from
// it like git does. nullopt when `path` is in no repository, the repository is bare or HEAD
// has no commit yet: the caller records no commit rather than failing.
std::optional<std::string> head_commit_containing(const std::filesystem::path& path);

}  // namespace gilguard::git
