#pragma once

#include <filesystem>
#include <string>

#include "gilguard/core/error.hpp"

namespace gilguard::python {

// The three kinds of CPython source `gilguard build` accepts.
enum class SourceKind { tarball, tree, git };

// "tarball", "tree" or "git".
std::string_view to_string(SourceKind kind);

// A classified --source.
struct Source {
  SourceKind kind = SourceKind::tarball;
  std::filesystem::path path;  // absolute
};

// True when `dir` looks like the top of a CPython source tree (configure, Include/Python.h).
bool is_cpython_tree(const std::filesystem::path& dir);

// Classifies `path`: a .tar.xz/.txz/.tar.gz/.tgz file, a git checkout of CPython (a CPython
// tree with .git), or an unpacked CPython tree. Anything else fails with what to pass instead.
Expected<Source> classify_source(const std::filesystem::path& path);

// A string that changes whenever the source's content does, for the build cache key:
// "tarball sha256=<hex>"; "git tree=<HEAD tree id>" plus " dirty=<sha256 of the status>"
// when the work tree differs from HEAD; "tree sha256=<hex over every file's path, mode and
// content>" for an unpacked tree.
Expected<std::string> source_identity(const Source& source);

}  // namespace gilguard::python
