#include "gilguard/python/source.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <vector>

#include "gilguard/git/repository.hpp"
#include "gilguard/util/sha256.hpp"

namespace gilguard::python {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_what_to_pass =
    "pass a CPython source tarball (.tar.xz or .tar.gz), an unpacked CPython source tree or a "
    "git checkout of CPython (scripts/find-cpython-source.sh prints the path of a tarball)";

bool has_tarball_name(const fs::path& path) {
  const std::string name = path.filename().string();
  for (const std::string_view suffix : {".tar.xz", ".txz", ".tar.gz", ".tgz"})
    if (name.ends_with(suffix)) return true;
  return false;
}

// Hash over every file under `root` in path order: relative path, kind/mode, then content.
Expected<std::string> tree_digest(const fs::path& root) {
  std::vector<fs::path> entries;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) continue;
    entries.push_back(it->path());
  }
  if (ec) return fail(fmt::format("cannot list {}: {}", root.string(), ec.message()));
  std::sort(entries.begin(), entries.end());

  util::Sha256 hash;
  for (const auto& entry : entries) {
    const std::string relative = entry.lexically_relative(root).generic_string();
    struct stat st {};
    if (::lstat(entry.c_str(), &st) != 0) continue;  // vanished while listing
    if (S_ISLNK(st.st_mode)) {
      hash.update(fmt::format("L {}\n{}\n", relative, fs::read_symlink(entry, ec).string()));
    } else if (S_ISREG(st.st_mode)) {
      hash.update(fmt::format("F {} {}\n", relative, (st.st_mode & S_IXUSR) != 0 ? "x" : "-"));
      if (auto ok = hash.update_file(entry); !ok) return std::unexpected(ok.error());
      hash.update("\n");
    }
  }
  return hash.hex_digest();
}

}  // namespace

std::string_view to_string(SourceKind kind) {
  switch (kind) {
    case SourceKind::tarball:
      return "tarball";
    case SourceKind::tree:
      return "tree";
    case SourceKind::git:
      return "git";
  }
  return "?";
}

bool is_cpython_tree(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "configure", ec) &&
         fs::is_regular_file(dir / "Include" / "Python.h", ec);
}

Expected<Source> classify_source(const fs::path& path) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec).lexically_normal();
  const auto status = fs::status(absolute, ec);
  if (!fs::exists(status))
    return fail(
        fmt::format("--source {}: no such file or directory; {}", path.string(), k_what_to_pass));
  if (fs::is_directory(status)) {
    if (!is_cpython_tree(absolute))
      return fail(fmt::format(
          "--source {} is not a CPython source tree (it has no configure and Include/Python.h "
          "at its top); {}",
          path.string(), k_what_to_pass));
    const auto kind = git::is_work_tree_root(absolute) ? SourceKind::git : SourceKind::tree;
    return Source{kind, absolute};
  }
  if (fs::is_regular_file(status) && has_tarball_name(absolute))
    return Source{SourceKind::tarball, absolute};
  return fail(fmt::format("--source {} is neither a directory nor a .tar.xz/.tar.gz tarball; {}",
                          path.string(), k_what_to_pass));
}

Expected<std::string> source_identity(const Source& source) {
  switch (source.kind) {
    case SourceKind::tarball: {
      auto digest = util::sha256_file(source.path);
      if (!digest) return std::unexpected(digest.error());
      return "tarball sha256=" + *digest;
    }
    case SourceKind::git: {
      auto state = git::read_work_tree_state(source.path);
      if (!state) return std::unexpected(state.error());
      std::string identity = "git tree=" + state->head_tree;
      if (state->dirty()) {
        std::string status;
        for (const auto& line : state->changes) status += line + "\n";
        identity += " dirty=" + util::sha256_hex(status);
      }
      return identity;
    }
    case SourceKind::tree: {
      auto digest = tree_digest(source.path);
      if (!digest) return std::unexpected(digest.error());
      return "tree sha256=" + *digest;
    }
  }
  return fail("unknown source kind");
}

}  // namespace gilguard::python
