#include "gilguard/git/commit.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>

#include "gilguard/git/libgit2.hpp"

namespace gilguard::git {
namespace {

// libgit2 wants git_libgit2_init before anything else; it is reference-counted and cheap, and
// gilguard never shuts it down.
void ensure_libgit2() {
  static const int initialized = git_libgit2_init();
  (void)initialized;
}

using detail::last_error;
using detail::ObjectPtr;
using detail::Owned;
using detail::RepositoryPtr;
using ReferencePtr = Owned<git_reference, git_reference_free>;
using TreePtr = Owned<git_tree, git_tree_free>;
using TreeBuilderPtr = Owned<git_treebuilder, git_treebuilder_free>;
using ConfigPtr = Owned<git_config, git_config_free>;
using SignaturePtr = Owned<git_signature, git_signature_free>;
using IndexPtr = Owned<git_index, git_index_free>;

std::string env_value(const util::Environment& env, const std::string& name) {
  const auto found = env.find(name);
  return found == env.end() ? std::string() : found->second;
}

// user.name / user.email from the repository's configuration (local, global, system).
Identity config_identity(git_repository* repo) {
  Identity identity;
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) != 0) return identity;
  ConfigPtr config(raw);
  const char* value = nullptr;
  if (git_config_get_string(&value, config.get(), "user.name") == 0 && value != nullptr)
    identity.name = value;
  if (git_config_get_string(&value, config.get(), "user.email") == 0 && value != nullptr)
    identity.email = value;
  return identity;
}

Expected<SignaturePtr> make_signature(const Identity& identity, std::string_view role) {
  git_signature* raw = nullptr;
  if (git_signature_now(&raw, identity.name.c_str(), identity.email.c_str()) != 0)
    return fail(fmt::format(
        "cannot use '{} <{}>' as the commit {}: {}; set GIT_{}_NAME and GIT_{}_EMAIL to a "
        "valid name and e-mail address",
        identity.name, identity.email, role == "AUTHOR" ? "author" : "committer", last_error(),
        role, role));
  return SignaturePtr(raw);
}

// `file` relative to the work tree, '/'-separated; an error when it lies outside.
Expected<std::string> relative_path(const std::filesystem::path& workdir,
                                    const std::filesystem::path& file) {
  std::error_code ec;
  const auto absolute = std::filesystem::weakly_canonical(std::filesystem::absolute(file), ec);
  if (ec) return fail(fmt::format("cannot resolve {}: {}", file.string(), ec.message()));
  const auto relative = absolute.lexically_relative(workdir);
  const std::string text = relative.generic_string();
  if (relative.empty() || text == "." || text.starts_with("../") || text == "..")
    return fail(fmt::format(
        "{} is outside the git work tree {}; keep the baselines directory inside the repository "
        "that --commit commits to",
        file.string(), workdir.string()));
  return text;
}

// A repository with a work tree, opened for a commit, and the files relative to that tree.
struct WorkTree {
  RepositoryPtr repo;
  std::vector<std::string> paths;
};

// The nearest of `path` and its parents that exists: a baselines directory that is still to be
// created belongs to the repository of its parent.
std::filesystem::path existing_ancestor(const std::filesystem::path& path) {
  std::error_code ec;
  auto current = std::filesystem::absolute(path, ec);
  while (!std::filesystem::exists(current, ec) && current.has_relative_path())
    current = current.parent_path();
  return current;
}

// Opens the repository that contains `request.start` and checks that it can take a commit of
// `request.files`: not bare, every file inside the work tree, the index not locked.
Expected<WorkTree> open_work_tree(const CommitRequest& request) {
  if (request.files.empty()) return fail("no files to commit");
  git_repository* raw_repo = nullptr;
  const auto start = existing_ancestor(request.start);
  if (git_repository_open_ext(&raw_repo, start.c_str(), 0, nullptr) != 0)
    return fail(fmt::format(
        "no git repository contains {} ({}); --commit needs the baselines directory inside a "
        "git checkout (in a workflow, run actions/checkout first)",
        request.start.string(), last_error()));
  WorkTree tree{RepositoryPtr(raw_repo), {}};
  if (git_repository_is_bare(tree.repo.get()))
    return fail(fmt::format(
        "the repository at {} is bare; --commit needs a work tree: point --baselines at a "
        "directory inside a checkout",
        git_repository_path(tree.repo.get())));
  std::error_code ec;
  const std::filesystem::path workdir = std::filesystem::weakly_canonical(
      std::filesystem::path(git_repository_workdir(tree.repo.get())).parent_path(), ec);
  for (const auto& file : request.files) {
    auto relative = relative_path(workdir, file);
    if (!relative) return std::unexpected(relative.error());
    tree.paths.push_back(std::move(*relative));
  }
  const auto lock = std::filesystem::path(git_repository_path(tree.repo.get())) / "index.lock";
  if (std::filesystem::exists(lock, ec))
    return fail(fmt::format(
        "{} exists: another git process is using the repository, or one crashed. Wait for it "
        "to finish, or remove {} if no git process is running, and try again",
        lock.string(), lock.string()));
  return tree;
}

}  // namespace

Identity bot_identity() { return {"gilguard-bot", "gilguard-bot@users.noreply.github.com"}; }

Identity resolve_identity(std::string_view role, const util::Environment& env,
                          const Identity& config) {
  const Identity bot = bot_identity();
  Identity identity;
  identity.name = env_value(env, fmt::format("GIT_{}_NAME", role));
  identity.email = env_value(env, fmt::format("GIT_{}_EMAIL", role));
  if (identity.name.empty()) identity.name = config.name.empty() ? bot.name : config.name;
  if (identity.email.empty()) identity.email = config.email.empty() ? bot.email : config.email;
  return identity;
}

Expected<void> check_can_commit(const CommitRequest& request) {
  ensure_libgit2();
  auto tree = open_work_tree(request);
  if (!tree) return std::unexpected(tree.error());
  return {};
}

Expected<CommitOutcome> commit_files(const CommitRequest& request) {
  ensure_libgit2();

  auto work_tree = open_work_tree(request);
  if (!work_tree) return std::unexpected(work_tree.error());
  RepositoryPtr repo = std::move(work_tree->repo);

  CommitOutcome outcome;
  std::vector<git_oid> blobs;
  for (std::size_t i = 0; i < request.files.size(); ++i) {
    const auto& file = request.files[i];
    const std::string& relative = work_tree->paths[i];
    git_oid blob;
    if (git_blob_create_from_workdir(&blob, repo.get(), relative.c_str()) != 0)
      return fail(
          fmt::format("cannot store {} in the repository: {}", file.string(), last_error()));
    outcome.paths.push_back(relative);
    blobs.push_back(blob);
  }

  // HEAD's commit and tree; an unborn HEAD (no commit yet) starts from the empty tree.
  const int unborn = git_repository_head_unborn(repo.get());
  if (unborn < 0) return fail(fmt::format("cannot read HEAD: {}", last_error()));
  ObjectPtr head_commit;
  TreePtr base_tree;
  if (unborn == 0) {
    git_reference* raw_head = nullptr;
    if (git_repository_head(&raw_head, repo.get()) != 0)
      return fail(fmt::format("cannot read HEAD: {}", last_error()));
    ReferencePtr head(raw_head);
    git_object* raw_commit = nullptr;
    if (git_reference_peel(&raw_commit, head.get(), GIT_OBJECT_COMMIT) != 0)
      return fail(fmt::format("HEAD does not point to a commit: {}", last_error()));
    head_commit.reset(raw_commit);
    git_tree* raw_tree = nullptr;
    if (git_commit_tree(&raw_tree, reinterpret_cast<git_commit*>(head_commit.get())) != 0)
      return fail(fmt::format("cannot read the tree of HEAD: {}", last_error()));
    base_tree.reset(raw_tree);
  } else {
    git_treebuilder* raw_builder = nullptr;
    git_oid empty;
    if (git_treebuilder_new(&raw_builder, repo.get(), nullptr) != 0)
      return fail(fmt::format("cannot create a tree: {}", last_error()));
    TreeBuilderPtr builder(raw_builder);
    git_tree* raw_tree = nullptr;
    if (git_treebuilder_write(&empty, builder.get()) != 0 ||
        git_tree_lookup(&raw_tree, repo.get(), &empty) != 0)
      return fail(fmt::format("cannot create the empty tree: {}", last_error()));
    base_tree.reset(raw_tree);
  }

  std::vector<git_tree_update> updates(outcome.paths.size());
  for (std::size_t i = 0; i < updates.size(); ++i) {
    updates[i].action = GIT_TREE_UPDATE_UPSERT;
    updates[i].id = blobs[i];
    updates[i].filemode = GIT_FILEMODE_BLOB;
    updates[i].path = outcome.paths[i].c_str();
  }
  git_oid tree_id;
  if (git_tree_create_updated(&tree_id, repo.get(), base_tree.get(), updates.size(),
                              updates.data()) != 0)
    return fail(fmt::format("cannot build the commit's tree: {}", last_error()));

  const Identity config = config_identity(repo.get());
  outcome.author = resolve_identity("AUTHOR", request.env, config);
  outcome.committer = resolve_identity("COMMITTER", request.env, config);

  if (head_commit && git_oid_equal(&tree_id, git_tree_id(base_tree.get())) != 0) {
    outcome.commit_id = detail::hex(*git_object_id(head_commit.get()));
  } else {
    auto author = make_signature(outcome.author, "AUTHOR");
    if (!author) return std::unexpected(author.error());
    auto committer = make_signature(outcome.committer, "COMMITTER");
    if (!committer) return std::unexpected(committer.error());
    git_tree* raw_tree = nullptr;
    if (git_tree_lookup(&raw_tree, repo.get(), &tree_id) != 0)
      return fail(fmt::format("cannot read the new tree: {}", last_error()));
    TreePtr tree(raw_tree);
    const git_commit* parents[1] = {reinterpret_cast<const git_commit*>(head_commit.get())};
    git_oid commit_id;
    // "HEAD" moves the checked-out branch, a detached HEAD, or creates the branch of an
    // unborn HEAD.
    if (git_commit_create(&commit_id, repo.get(), "HEAD", author->get(), committer->get(), nullptr,
                          request.message.c_str(), tree.get(), head_commit ? 1 : 0, parents) != 0)
      return fail(fmt::format("cannot create the commit: {}", last_error()));
    outcome.created = true;
    outcome.commit_id = detail::hex(commit_id);
  }

  // Refresh just these paths in the index so `git status` shows them clean; every other
  // entry (including unrelated staged changes) is kept as it was.
  git_index* raw_index = nullptr;
  const auto index_failure = [&](const std::string& what) {
    return fail(fmt::format(
        "{} {}, but {}: {}; run 'git reset -q -- {}' to bring the index in line",
        outcome.created ? "committed" : "HEAD already has the baselines at",
        outcome.commit_id.substr(0, 12), what, last_error(), fmt::join(outcome.paths, " ")));
  };
  if (git_repository_index(&raw_index, repo.get()) != 0)
    return index_failure("the index could not be opened");
  IndexPtr index(raw_index);
  if (git_index_read(index.get(), 0) != 0) return index_failure("the index could not be read");
  for (const auto& path : outcome.paths) {
    if (git_index_add_bypath(index.get(), path.c_str()) != 0)
      return index_failure(fmt::format("{} could not be added to the index", path));
  }
  if (git_index_write(index.get()) != 0) return index_failure("the index could not be written");
  return outcome;
}

}  // namespace gilguard::git
