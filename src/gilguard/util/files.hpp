#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "gilguard/core/error.hpp"

namespace gilguard::util {

// Writes `text` to `path` so that readers see either the old file or the whole new one: a
// temporary file beside it is written, fsynced and renamed over `path` (the directory is
// fsynced too). Parent directories are created. A crash never leaves a half-written file.
Expected<void> write_file_atomic(const std::filesystem::path& path, std::string_view text);

// The whole content of a file, or an error naming the path and the reason.
Expected<std::string> read_file(const std::filesystem::path& path);

}  // namespace gilguard::util
