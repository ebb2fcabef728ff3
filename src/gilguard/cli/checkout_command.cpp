#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "gilguard/cli/commands.hpp"
#include "gilguard/cli/print.hpp"
#include "gilguard/git/revision.hpp"

namespace gilguard::cli {
namespace {

struct CheckoutOptions {
  std::string repo = ".";
  std::string ref;
  std::string into;
};

// `path` made absolute and normal, without a trailing separator ("." is the current directory's
// full path), so that every message names a directory a reader can find.
std::filesystem::path full_path(const std::string& path) {
  auto full = std::filesystem::absolute(path).lexically_normal();
  if (!full.has_filename() && full.has_parent_path() && full != full.root_path())
    full = full.parent_path();
  return full;
}

}  // namespace

void add_checkout_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "checkout",
      "Write the files of one revision of a git repository into a new directory, with libgit2,\n"
      "leaving the repository's work tree, index and HEAD alone: the base of a pull request\n"
      "beside its head, for the action's package A/B (package-base). No .git is written there.\n"
      "stdout gets the full commit id the revision names; progress goes to stderr. A revision\n"
      "missing from a shallow clone is an error that says how to fetch it. Exit 0 written, 2\n"
      "usage or tool error.\n"
      "Example: gilguard checkout --ref origin/main --into ../base");
  auto options = std::make_shared<CheckoutOptions>();
  sub->add_option("--repo", options->repo,
                  "The repository: the top directory of a git clone, or a bare repository (not "
                  "searched upwards)")
      ->type_name("DIR")
      ->capture_default_str();
  sub->add_option("--ref", options->ref,
                  "The revision to write out: a commit id (or a prefix of one), branch, tag, "
                  "HEAD~1, origin/main, ...")
      ->type_name("REV")
      ->required();
  sub->add_option("--into", options->into,
                  "The directory to write it into; it must not exist yet (its parents are made)")
      ->type_name("DIR")
      ->required();
  sub->callback([&action, options] {
    action = [options]() -> ExitCode {
      const std::filesystem::path repo = full_path(options->repo);
      const std::filesystem::path into = full_path(options->into);
      const std::string context = fmt::format("checkout --ref {}", options->ref);
      const auto revision = value_or_throw(git::resolve_revision(repo, options->ref), context);
      std::error_code ec;
      if (std::filesystem::exists(into, ec))
        throw usage_error(fmt::format(
            "{}: --into {} exists already; give a directory that does not exist yet (or remove "
            "it first)",
            context, into.string()));
      std::filesystem::create_directories(into.parent_path(), ec);
      if (ec)
        throw usage_error(fmt::format("{}: cannot create {}: {}; give a writable --into", context,
                                      into.parent_path().string(), ec.message()));
      value_or_throw(git::export_tree(repo, revision.tree, into), context);
      print_stderr(fmt::format("gilguard: checked out {} (commit {}) of {} into {}\n", options->ref,
                               revision.commit.substr(0, 12), repo.string(), into.string()));
      fmt::print("{}\n", revision.commit);
      return ExitCode::ok;
    };
  });
}

}  // namespace gilguard::cli
