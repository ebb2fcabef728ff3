#pragma once

// libgit2 plumbing shared by the files of git/ (and only them: libgit2 stays in this room).

#include <git2.h>

#include <memory>
#include <string>

namespace gilguard::git::detail {

// Keeps libgit2 initialised for the lifetime of one operation (the count nests).
struct Library {
  Library() { git_libgit2_init(); }
  ~Library() { git_libgit2_shutdown(); }
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
};

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

// A libgit2 object freed with its own free function.
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Deleter<T, Free>>;

using RepositoryPtr = Owned<git_repository, git_repository_free>;
using ObjectPtr = Owned<git_object, git_object_free>;

// libgit2's explanation of its last failure on this thread.
inline std::string last_error() {
  const git_error* error = git_error_last();
  return error != nullptr && error->message != nullptr ? error->message : "unknown libgit2 error";
}

// An object id as 40 hex digits.
inline std::string hex(const git_oid& oid) {
  char buffer[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(buffer, sizeof buffer, &oid);
  return buffer;
}

}  // namespace gilguard::git::detail
