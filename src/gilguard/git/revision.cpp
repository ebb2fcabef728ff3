#include "gilguard/git/revision.hpp"

#include <fmt/format.h>

#include "gilguard/git/libgit2.hpp"

namespace gilguard::git {
namespace {

using detail::last_error;

// Opens `path` itself as a repository (a work tree's top or a bare repository).
Expected<detail::RepositoryPtr> open_exactly(const std::filesystem::path& path) {
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0)
    return fail(fmt::format(
        "{} is not a git repository ({}); give the top directory of a git clone (or a bare "
        "repository)",
        path.string(), last_error()));
  return detail::RepositoryPtr(raw);
}

// What to do when `spec` is not in the repository: fetch it, and in a shallow clone, the history.
std::string how_to_fetch(git_repository* repo, const std::filesystem::path& path,
                         std::string_view spec) {
  std::string advice =
      fmt::format("fetch it first, e.g. 'git -C {} fetch origin {}'", path.string(), spec);
  if (git_repository_is_shallow(repo) == 1)
    advice += fmt::format(
        "; {} is a shallow clone, which holds only the newest commits: in GitHub Actions check "
        "out with 'fetch-depth: 0' (actions/checkout), or run 'git -C {} fetch --unshallow'",
        path.string(), path.string());
  return advice;
}

}  // namespace

Expected<Revision> resolve_revision(const std::filesystem::path& repository,
                                    std::string_view spec) {
  const detail::Library library;
  auto repo = open_exactly(repository);
  if (!repo) return std::unexpected(repo.error());
  const std::string text(spec);
  if (text.empty()) return fail("the revision is empty; give a commit id, branch or tag");

  git_object* raw = nullptr;
  const int found = git_revparse_single(&raw, repo->get(), text.c_str());
  if (found == GIT_EAMBIGUOUS)
    return fail(fmt::format(
        "revision '{}' is ambiguous in {} (several objects start with it); give more hex digits "
        "or the full commit id",
        text, repository.string()));
  if (found != 0)
    return fail(fmt::format("revision '{}' is not in {} ({}); {}", text, repository.string(),
                            last_error(), how_to_fetch(repo->get(), repository, text)));
  const detail::ObjectPtr object(raw);

  git_object* raw_commit = nullptr;
  if (git_object_peel(&raw_commit, object.get(), GIT_OBJECT_COMMIT) != 0)
    return fail(fmt::format(
        "revision '{}' in {} names a {}, not a commit; give a commit id, "
        "branch or tag",
        text, repository.string(), git_object_type2string(git_object_type(object.get()))));
  const detail::ObjectPtr commit(raw_commit);
  const auto* as_commit = reinterpret_cast<const git_commit*>(commit.get());
  return Revision{detail::hex(*git_commit_id(as_commit)),
                  detail::hex(*git_commit_tree_id(as_commit))};
}

Expected<void> export_tree(const std::filesystem::path& repository, std::string_view tree_id,
                           const std::filesystem::path& target) {
  const detail::Library library;
  auto repo = open_exactly(repository);
  if (!repo) return std::unexpected(repo.error());
  std::error_code ec;
  if (std::filesystem::exists(target, ec))
    return fail(fmt::format("cannot check out into {}: it exists already", target.string()));

  git_oid oid;
  const std::string id(tree_id);
  git_object* raw_tree = nullptr;
  if (git_oid_fromstr(&oid, id.c_str()) != 0 ||
      git_object_lookup(&raw_tree, repo->get(), &oid, GIT_OBJECT_TREE) != 0)
    return fail(fmt::format("tree {} is not in {} ({})", id, repository.string(), last_error()));
  const detail::ObjectPtr tree(raw_tree);

  // Into `target` only: every file of the tree is written there (none exists yet), and the
  // index, which describes the repository's own work tree, is not touched.
  git_checkout_options options = GIT_CHECKOUT_OPTIONS_INIT;
  options.checkout_strategy =
      GIT_CHECKOUT_FORCE | GIT_CHECKOUT_RECREATE_MISSING | GIT_CHECKOUT_DONT_UPDATE_INDEX;
  const std::string target_text = target.string();
  options.target_directory = target_text.c_str();
  if (git_checkout_tree(repo->get(), tree.get(), &options) != 0)
    return fail(fmt::format("cannot check tree {} of {} out into {}: {}", id.substr(0, 12),
                            repository.string(), target.string(), last_error()));
  return {};
}

}  // namespace gilguard::git
