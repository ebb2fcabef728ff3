#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "gilguard/core/error.hpp"

namespace gilguard::util {

// The largest JSON file gilguard reads (results, baselines, comparisons, the event payload): the
// largest results file recorded so far is 2.6 MiB, and GitHub caps a webhook payload at 25 MB.
inline constexpr std::size_t k_max_json_file_bytes = std::size_t{64} << 20;

// Writes `text` to `path` so that readers see either the old file or the whole new one: a
// temporary file beside it is written, fsynced and renamed over `path` (the directory is
// fsynced too). Parent directories are created. A crash never leaves a half-written file.
Expected<void> write_file_atomic(const std::filesystem::path& path, std::string_view text);

// Where a user asked gilguard to write a result (--output, --results, --comparison): in place
// when `path` is a character device or a FIFO (/dev/null, /dev/stdout, a pipe, which an atomic
// rename would replace with a regular file), otherwise with write_file_atomic. A directory or
// another special file is refused with the fix.
Expected<void> write_output_file(const std::filesystem::path& path, std::string_view text);

// Fails, naming the path and the fix, when write_output_file(path, ...) could not succeed: a
// directory, a socket or block device, a character device or FIFO gilguard may not write, or no
// directory to create the file in. Called before measuring, so a wrong path costs a second, not
// the whole benchmark. Leaves nothing behind (a FIFO is not opened: that would end its reader).
Expected<void> check_output_path(const std::filesystem::path& path);

// The whole content of a regular file of at most `max_bytes`, or an error naming the path, the
// reason and the fix. A FIFO, a device, a directory or a socket is refused before any read (so
// a FIFO cannot block and /dev/zero cannot fill memory), and so is a file over the limit; the
// file is opened without blocking and checked again on the opened descriptor, so what is read is
// what was checked. `what` names the file's role in the messages ("a JSON file").
Expected<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes,
                                        std::string_view what);

// read_regular_file for the JSON files gilguard reads, limited to k_max_json_file_bytes.
Expected<std::string> read_json_file(const std::filesystem::path& path);

// "1 MiB", "64 MiB", "512 KiB", "100 bytes": a size limit as messages state it.
std::string size_text(std::size_t bytes);

}  // namespace gilguard::util
