#include "gilguard/util/files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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

}  // namespace

Expected<void> write_file_atomic(const std::filesystem::path& path, std::string_view text) {
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

Expected<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(fmt::format("cannot read {}: {}", path.string(), errno_text()));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return fail(fmt::format("error while reading {}", path.string()));
  return out.str();
}

}  // namespace gilguard::util
