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

}  // namespace

void add_checkout_command(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "checkout",
      "Write the files of a revision of a git repository into a new directory, with libgit2:\n"
      "the repository's work tree, index and HEAD are left alone (the A/B base of a package\n"
      "beside its head). stdout gets the commit id the revision names.");
  auto options = std::make_shared<CheckoutOptions>();
  sub->add_option("--repo", options->repo,
                  "The repository: the top directory of a git clone, or a bare repository")
      ->capture_default_str();
  sub->add_option("--ref", options->ref,
                  "The revision to write out: a commit id, branch, tag, HEAD~1, origin/main, ...")
      ->required();
  sub->add_option("--into", options->into,
                  "The directory to write it into; it must not exist yet (its parents are made)")
      ->required();
  sub->callback([&action, options] {
    action = [options]() -> ExitCode {
      const std::filesystem::path repo = options->repo;
      const std::filesystem::path into = std::filesystem::absolute(options->into);
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
