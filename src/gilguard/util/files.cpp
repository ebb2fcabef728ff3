#include "gilguard/util/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace gilguard::util {
namespace {

std::string errno_text() { return std::strerror(errno); }

// Writes all of `text` to fd, retrying on short writes and EINTR.
bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// What a file that is not a regular file is, for messages: "a FIFO (named pipe)".
std::string_view kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISREG(mode)) return "a regular file";
  return "a special file";
}

Error not_regular(const std::filesystem::path& path, mode_t mode, std::string_view what) {
  return Error{fmt::format(
      "cannot read {}: it is {}, not a regular file; {} must be a regular file (a FIFO could "
      "block gilguard and a device may never end): pass the path of the file itself",
      path.string(), kind_of(mode), what)};
}

Error too_large(const std::filesystem::path& path, std::size_t max_bytes, std::string_view what) {
  return Error{fmt::format(
      "cannot read {}: it is larger than {}, the most gilguard reads of {}; pass a smaller file",
      path.string(), size_text(max_bytes), what)};
}

// Closes fd when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : m_fd(fd) {}
  ~FileDescriptor() {
    if (m_fd >= 0) ::close(m_fd);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return m_fd; }
  // Closes now, reporting close's own failure (a write may only fail here).
  bool close() {
    const int fd = m_fd;
    m_fd = -1;
    return ::close(fd) == 0;
  }

 private:
  int m_fd;
};

// Writes `text` into an existing character device or FIFO, without replacing it. A FIFO is
// opened without blocking, so one that nothing reads fails at once instead of hanging.
Expected<void> write_in_place(const std::filesystem::path& path, std::string_view text, bool fifo) {
  const int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | (fifo ? O_NONBLOCK : 0);
  FileDescriptor fd(::open(path.c_str(), flags));
  if (fd.get() < 0) {
    if (fifo && errno == ENXIO)
      return fail(fmt::format(
          "cannot write {}: it is a FIFO (named pipe) that nothing reads; start its reader first, "
          "or pass the path of a regular file",
          path.string()));
    return fail(fmt::format("cannot write {}: {}", path.string(), errno_text()));
  }
  // Blocking writes from here on: a pipe that is full waits for its reader.
  if (fifo) ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
  if (!write_all(fd.get(), text) || !fd.close())
    return fail(fmt::format("cannot write {}: {}", path.string(), errno_text()));
  return {};
}

Error refuse_output(const std::filesystem::path& path, mode_t mode) {
  if (S_ISDIR(mode))
    return Error{
        fmt::format("cannot write {}: it is a directory; pass the path of a file (in it, say, {})",
                    path.string(), (path / "gilguard.json").string())};
  return Error{fmt::format(
      "cannot write {}: it is {}; pass the path of a regular file (or of a character device or "
      "FIFO, such as /dev/null, which gilguard writes in place)",
      path.string(), kind_of(mode))};
}

}  // namespace

std::string size_text(std::size_t bytes) {
  constexpr std::size_t k_kib = 1024;
  constexpr std::size_t k_mib = k_kib * 1024;
  if (bytes >= k_mib && bytes % k_mib == 0) return fmt::format("{} MiB", bytes / k_mib);
  if (bytes >= k_kib && bytes % k_kib == 0) return fmt::format("{} KiB", bytes / k_kib);
  return fmt::format("{} bytes", bytes);
}

Expected<void> write_file_atomic(const std::filesystem::path& path, std::string_view text) {
  // Only a regular file (or nothing) is replaced: a rename over /dev/null would replace the
  // device with a file.
  if (struct stat st{}; ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    return std::unexpected(refuse_output(path, st.st_mode));
  const std::filesystem::path dir =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return fail(fmt::format("cannot create directory {}: {}; check that it is writable",
                            dir.string(), ec.message()));

  std::string temp = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0)
    return fail(fmt::format("cannot create a temporary file in {}: {}; check that it is writable",
                            dir.string(), errno_text()));

  const auto abandon = [&](const std::string& what) {
    const std::string reason = errno_text();
    ::close(fd);
    ::unlink(temp.c_str());
    return fail(fmt::format("cannot write {} ({} failed: {})", path.string(), what, reason));
  };
  // mkstemp creates 0600; files gilguard writes (baselines, results) are meant to be shared.
  // (Reading the umask would mean changing it, which is not thread-safe.)
  if (::fchmod(fd, 0644) != 0) return abandon("chmod");
  if (!write_all(fd, text)) return abandon("write");
  if (::fsync(fd) != 0) return abandon("fsync");
  if (::close(fd) != 0) {
    const std::string reason = errno_text();
    ::unlink(temp.c_str());
    return fail(fmt::format("cannot write {} (close failed: {})", path.string(), reason));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = errno_text();
    ::unlink(temp.c_str());
    return fail(fmt::format("cannot rename {} to {}: {}", temp, path.string(), reason));
  }
  // Make the rename itself durable; failure here does not undo the write, so it is ignored.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return {};
}

Expected<void> write_output_file(const std::filesystem::path& path, std::string_view text) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
      return write_in_place(path, text, S_ISFIFO(st.st_mode));
    if (!S_ISREG(st.st_mode)) return std::unexpected(refuse_output(path, st.st_mode));
  }
  return write_file_atomic(path, text);
}

Expected<void> check_output_path(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
      if (::access(path.c_str(), W_OK) != 0)
        return fail(fmt::format("cannot write {}: {}", path.string(), errno_text()));
      return {};
    }
    if (!S_ISREG(st.st_mode)) return std::unexpected(refuse_output(path, st.st_mode));
  } else if (errno != ENOENT && errno != ENOTDIR) {
    return fail(fmt::format("cannot write {}: {}", path.string(), errno_text()));
  }
  // The file is (re)created in its directory, which write_file_atomic creates when missing: the
  // nearest directory that exists must take a new file.
  const auto parent_of = [](const std::filesystem::path& p) {
    return p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
  };
  std::filesystem::path dir = parent_of(path);
  while (::stat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT || dir == "." || dir == dir.parent_path())
      return fail(
          fmt::format("cannot write {}: {}: {}", path.string(), dir.string(), errno_text()));
    dir = parent_of(dir);
  }
  if (!S_ISDIR(st.st_mode))
    return fail(
        fmt::format("cannot write {}: {} is {}, not a directory; pass a path in a directory",
                    path.string(), dir.string(), kind_of(st.st_mode)));
  // Creating a file is the only true test (a read-only file system, an ACL; root passes access()).
  std::string probe = (dir / ".gilguard-write-test-XXXXXX").string();
  const int fd = ::mkstemp(probe.data());
  if (fd < 0)
    return fail(
        fmt::format("cannot write {}: cannot create a file in {}: {}; pass a path in a "
                    "writable directory",
                    path.string(), dir.string(), errno_text()));
  ::close(fd);
  ::unlink(probe.c_str());
  return {};
}

Expected<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes,
                                        std::string_view what) {
  // Refused before opening: opening a device can have effects of its own (a tape rewinds).
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return fail(fmt::format("cannot read {}: {}", path.string(), errno_text()));
  if (!S_ISREG(st.st_mode)) return std::unexpected(not_regular(path, st.st_mode, what));
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes)
    return std::unexpected(too_large(path, max_bytes, what));

  // The path may have been swapped since: the opened file is checked again, without blocking.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return fail(fmt::format("cannot read {}: {}", path.string(), errno_text()));
  if (::fstat(fd.get(), &st) != 0)
    return fail(fmt::format("cannot read {}: {}", path.string(), errno_text()));
  if (!S_ISREG(st.st_mode)) return std::unexpected(not_regular(path, st.st_mode, what));

  // Read to the end, never past the limit: a file may grow while it is read.
  std::string text;
  text.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(fmt::format("cannot read {}: {}", path.string(), errno_text()));
    }
    if (n == 0) break;
    if (text.size() + static_cast<std::size_t>(n) > max_bytes)
      return std::unexpected(too_large(path, max_bytes, what));
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

Expected<std::string> read_json_file(const std::filesystem::path& path) {
  return read_regular_file(path, k_max_json_file_bytes, "a JSON file");
}

}  // namespace gilguard::util
