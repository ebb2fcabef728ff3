#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "gilguard/baseline/build_record_codec.hpp"
#include "gilguard/cli/commands.hpp"
#include "gilguard/python/build.hpp"

namespace gilguard::cli {
namespace {

struct BuildOptions {
  std::string source;
  std::string ref;
  std::string prefix;
  std::string flavor = "both";
  bool optimize = false;
  int jobs = 0;
  std::vector<std::string> configure_args;
};

std::vector<Flavor> parse_flavors(const std::string& text) {
  if (text == "both") return {Flavor::gil, Flavor::ft};
  if (const auto flavor = parse_flavor(text)) return {*flavor};
  throw usage_error(
      fmt::format("--flavor {}: unknown flavour; pass --flavor gil (with the GIL), --flavor ft "
                  "(free-threaded, --disable-gil) or --flavor both",
                  text));
}

}  // namespace

void add_build_command(CLI::App& app, Action& action) {
  const auto env = util::current_environment();
  const std::string default_prefix = python::default_build_prefix(env).string();
  auto* sub = app.add_subcommand(
      "build",
      "Build CPython from source with the GIL (gil) and/or free-threaded (ft, --disable-gil),\n"
      "out of tree, and install it under the prefix. A build is cached by the source's content\n"
      "and the flags: the same call again returns at once. Progress goes to stderr; stdout gets\n"
      "{\"gil\": PATH, \"ft\": PATH, \"cache_hits\": {...}} for the flavours built (and\n"
      "\"commit\": ID with --ref).");
  auto options = std::make_shared<BuildOptions>();
  sub->add_option("--source", options->source,
                  "CPython source: a .tar.xz/.tar.gz tarball, an unpacked source tree, or a git "
                  "checkout (its HEAD tree and uncommitted changes make the cache key)")
      ->required();
  sub->add_option("--ref", options->ref,
                  "Build this revision of the --source git repository (a commit id, branch, tag, "
                  "HEAD~1, ...) instead of its work tree: its tree is checked out under the "
                  "prefix, the checkout's files and index are left alone, and the build is "
                  "cached by the tree's id");
  sub->add_option("--prefix", options->prefix,
                  fmt::format("Cache directory for the builds (default: $XDG_CACHE_HOME/gilguard/"
                              "cpython, else ~/.cache/gilguard/cpython; here {})",
                              default_prefix));
  sub->add_option("--flavor", options->flavor, "Which build: gil, ft or both")
      ->capture_default_str();
  sub->add_flag("--optimize", options->optimize,
                "Configure with --enable-optimizations --with-lto (PGO + LTO: much slower to "
                "build)");
  sub->add_option("--jobs,-j", options->jobs,
                  "Parallel make jobs (default: the CPUs this process may use)")
      ->check(CLI::Range(1, 4096));
  sub->add_option("--configure-arg", options->configure_args,
                  "An extra argument for configure, repeatable; write values that start with a "
                  "dash as --configure-arg=--with-pydebug")
      ->allow_extra_args(false);
  sub->callback([&action, options, default_prefix] {
    action = [options, default_prefix]() -> ExitCode {
      python::BuildRequest request;
      request.flavors = parse_flavors(options->flavor);
      request.source = options->source;
      request.ref = options->ref;
      request.prefix = options->prefix.empty() ? default_prefix : options->prefix;
      request.optimize = options->optimize;
      request.jobs = options->jobs;
      request.configure_args = options->configure_args;
      request.environment = util::current_environment();
      const auto built = python::build(request, stderr);
      fmt::print("{}", baseline::build_summary_to_json_text(built));
      return ExitCode::ok;
    };
  });
}

}  // namespace gilguard::cli
