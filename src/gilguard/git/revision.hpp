#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "gilguard/core/error.hpp"

namespace gilguard::git {

// A revision resolved to the commit it names and that commit's tree.
struct Revision {
  std::string commit;  // hex id
  std::string tree;    // hex id of the commit's tree: the content, whatever the history
};

// Resolves `spec` (a commit id or a prefix of one, a branch, a tag, HEAD~1, origin/main, ...)
// in the repository at `repository` (a checkout's top or a bare repository; not searched
// upwards) with libgit2. Fails saying what to do when `repository` is not a repository or
// `spec` names no commit there (with how to fetch it, and that a shallow clone lacks history).
Expected<Revision> resolve_revision(const std::filesystem::path& repository, std::string_view spec);

// Writes the files of tree `tree_id` of `repository` into `target`, a directory that must not
// exist yet (its parent must). The repository's work tree, index and HEAD are left alone: the
// checkout goes to `target` only and does not update the index.
Expected<void> export_tree(const std::filesystem::path& repository, std::string_view tree_id,
                           const std::filesystem::path& target);

}  // namespace gilguard::git
