#include "gilguard/git/repository.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "gilguard/git/libgit2.hpp"

namespace gilguard::git {
namespace {

using detail::hex;
using detail::last_error;
using detail::Library;
using detail::RepositoryPtr;
using CommitPtr = detail::Owned<git_commit, git_commit_free>;
using StatusListPtr = detail::Owned<git_status_list, git_status_list_free>;

// Compact letters for a status entry's flags, index part then work tree part (like git's XY).
std::string flags_text(unsigned int flags) {
  std::string out;
  const auto add = [&](unsigned int bit, char letter) {
    if ((flags & bit) != 0) out += letter;
  };
  add(GIT_STATUS_INDEX_NEW, 'A');
  add(GIT_STATUS_INDEX_MODIFIED, 'M');
  add(GIT_STATUS_INDEX_DELETED, 'D');
  add(GIT_STATUS_INDEX_RENAMED, 'R');
  add(GIT_STATUS_INDEX_TYPECHANGE, 'T');
  out += '/';
  add(GIT_STATUS_WT_NEW, '?');
  add(GIT_STATUS_WT_MODIFIED, 'm');
  add(GIT_STATUS_WT_DELETED, 'd');
  add(GIT_STATUS_WT_RENAMED, 'r');
  add(GIT_STATUS_WT_TYPECHANGE, 't');
  add(GIT_STATUS_CONFLICTED, 'C');
  return out;
}

}  // namespace

bool is_work_tree_root(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::exists(path / ".git", ec);
}

Expected<WorkTreeState> read_work_tree_state(const std::filesystem::path& work_tree) {
  Library library;
  git_repository* raw_repo = nullptr;
  if (git_repository_open_ext(&raw_repo, work_tree.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH,
                              nullptr) != 0)
    return fail(fmt::format("{} is not a git repository ({})", work_tree.string(), last_error()));
  const RepositoryPtr repo(raw_repo);
  if (git_repository_is_bare(repo.get()) != 0)
    return fail(fmt::format("{} is a bare git repository; pass a checkout with a work tree",
                            work_tree.string()));

  git_oid head_id;
  if (git_reference_name_to_id(&head_id, repo.get(), "HEAD") != 0)
    return fail(fmt::format("{}: cannot read HEAD ({}); check out a commit first",
                            work_tree.string(), last_error()));
  git_commit* raw_commit = nullptr;
  if (git_commit_lookup(&raw_commit, repo.get(), &head_id) != 0)
    return fail(
        fmt::format("{}: HEAD is not a readable commit ({})", work_tree.string(), last_error()));
  const CommitPtr commit(raw_commit);

  WorkTreeState state;
  state.head_commit = hex(head_id);
  state.head_tree = hex(*git_commit_tree_id(commit.get()));

  git_status_options options = GIT_STATUS_OPTIONS_INIT;
  options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
  options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
                  GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
  git_status_list* raw_status = nullptr;
  if (git_status_list_new(&raw_status, repo.get(), &options) != 0)
    return fail(
        fmt::format("{}: cannot read the work tree status ({})", work_tree.string(), last_error()));
  const StatusListPtr status(raw_status);

  const std::filesystem::path root = git_repository_workdir(repo.get());
  const std::size_t count = git_status_list_entrycount(status.get());
  for (std::size_t i = 0; i < count; ++i) {
    const git_status_entry* entry = git_status_byindex(status.get(), i);
    if (entry == nullptr || entry->status == GIT_STATUS_CURRENT) continue;
    const git_diff_delta* delta =
        entry->index_to_workdir != nullptr ? entry->index_to_workdir : entry->head_to_index;
    if (delta == nullptr) continue;
    const char* path =
        delta->new_file.path != nullptr ? delta->new_file.path : delta->old_file.path;
    if (path == nullptr) continue;

    // The staged content is known to libgit2; the work tree content is hashed here, since a
    // second edit of an already modified file must change the state too.
    std::string staged = "-";
    if (entry->head_to_index != nullptr && (entry->status & GIT_STATUS_INDEX_DELETED) == 0)
      staged = hex(entry->head_to_index->new_file.id);
    std::string current = "-";
    const auto file = root / path;
    std::error_code ec;
    if (std::filesystem::is_symlink(file, ec) || std::filesystem::is_regular_file(file, ec)) {
      git_oid blob;
      if (git_odb_hashfile(&blob, file.c_str(), GIT_OBJECT_BLOB) == 0) {
        current = hex(blob);
      } else {
        return fail(fmt::format("{}: cannot hash {} ({})", work_tree.string(), file.string(),
                                last_error()));
      }
    }
    state.changes.push_back(fmt::format("{} {} staged={} worktree={}", flags_text(entry->status),
                                        path, staged, current));
  }
  std::sort(state.changes.begin(), state.changes.end());
  return state;
}

std::optional<std::filesystem::path> work_tree_containing(const std::filesystem::path& dir) {
  Library library;
  git_repository* raw_repo = nullptr;
  if (git_repository_open_ext(&raw_repo, dir.c_str(), 0, nullptr) != 0) return std::nullopt;
  const RepositoryPtr repo(raw_repo);
  const char* work_tree = git_repository_workdir(repo.get());
  if (work_tree == nullptr) return std::nullopt;
  return std::filesystem::path(work_tree).lexically_normal();
}

std::optional<std::string> head_commit_containing(const std::filesystem::path& path) {
  Library library;
  git_repository* raw_repo = nullptr;
  if (git_repository_open_ext(&raw_repo, path.c_str(), 0, nullptr) != 0) return std::nullopt;
  const RepositoryPtr repo(raw_repo);
  if (git_repository_is_bare(repo.get()) != 0) return std::nullopt;
  git_oid head_id;
  if (git_reference_name_to_id(&head_id, repo.get(), "HEAD") != 0) return std::nullopt;
  return hex(head_id);
}

}  // namespace gilguard::git
