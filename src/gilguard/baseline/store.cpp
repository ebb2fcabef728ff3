#include "gilguard/baseline/store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <string_view>
#include <system_error>

#include "gilguard/baseline/codec.hpp"
#include "gilguard/baseline/key.hpp"
#include "gilguard/util/files.hpp"

namespace gilguard::baseline {
namespace {

// Reads and validates one file; `expected_key` is what its name says the key is.
Expected<Baseline> read_baseline(const std::filesystem::path& path,
                                 const std::string& expected_key) {
  auto text = util::read_json_file(path);
  if (!text) return std::unexpected(text.error());
  auto baseline = baseline_from_json_text(*text);
  if (!baseline)
    return fail(fmt::format("baseline file {}: {}", path.string(), baseline.error().message));
  if (baseline->key != expected_key)
    return fail(fmt::format(
        "baseline file {}: its \"key\" is '{}', but the file name says '{}'. Rename the file to "
        "{}.json, or correct its \"key\" field",
        path.string(), baseline->key, expected_key, baseline->key));
  return baseline;
}

constexpr std::string_view k_dir_fix =
    "point --baselines at a readable directory of baseline files (one <key>.json per runner "
    "class)";

// The status of `path`, with file_type::not_found only when nothing is there: a symlink loop,
// a missing permission, a path through a regular file or a dangling symlink is an error, so
// that a broken configuration never reads as "no baseline yet".
Expected<std::filesystem::file_status> status_of(const std::filesystem::path& path,
                                                 std::string_view what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec) return status;
  if (ec.value() == ENOENT) {
    std::error_code link_ec;
    if (!std::filesystem::is_symlink(std::filesystem::symlink_status(path, link_ec))) return status;
    return fail(fmt::format("{} {} is a symbolic link to {}, which does not exist; {}", what,
                            path.string(), std::filesystem::read_symlink(path, link_ec).string(),
                            k_dir_fix));
  }
  return fail(fmt::format("{} {}: {}; {}", what, path.string(), ec.message(), k_dir_fix));
}

// Whether the baselines directory exists (false: nothing recorded yet); an error when it is
// there but cannot be used: a regular file, a folder gilguard may not list, a symlink loop.
Expected<bool> usable_dir(const std::filesystem::path& dir) {
  auto status = status_of(dir, "the baselines directory");
  if (!status) return std::unexpected(status.error());
  if (status->type() == std::filesystem::file_type::not_found) return false;
  if (!std::filesystem::is_directory(*status))
    return fail(
        fmt::format("the baselines directory {} is not a directory; {}", dir.string(), k_dir_fix));
  std::error_code ec;
  const std::filesystem::directory_iterator listing(dir, ec);
  if (ec)
    return fail(fmt::format("cannot read the baselines directory {}: {}; {}", dir.string(),
                            ec.message(), k_dir_fix));
  return true;
}

}  // namespace

std::filesystem::path baseline_path(const std::filesystem::path& dir, const std::string& key) {
  return dir / (key + ".json");
}

Expected<std::optional<Baseline>> load(const std::filesystem::path& dir, const std::string& key) {
  if (auto valid = validate_key(key); !valid) return std::unexpected(valid.error());
  auto dir_exists = usable_dir(dir);
  if (!dir_exists) return std::unexpected(dir_exists.error());
  if (!*dir_exists) return std::optional<Baseline>{};
  const auto path = baseline_path(dir, key);
  const auto status = status_of(path, "baseline file");
  if (!status) return std::unexpected(status.error());
  if (status->type() == std::filesystem::file_type::not_found) return std::optional<Baseline>{};
  if (!std::filesystem::is_regular_file(*status))
    return fail(
        fmt::format("baseline file {} is not a regular file; remove it or choose "
                    "another --baselines directory",
                    path.string()));
  auto baseline = read_baseline(path, key);
  if (!baseline) return std::unexpected(baseline.error());
  return std::optional<Baseline>(std::move(*baseline));
}

Expected<std::filesystem::path> save(const std::filesystem::path& dir, const Baseline& baseline) {
  if (auto valid = validate_key(baseline.key); !valid) return std::unexpected(valid.error());
  const auto path = baseline_path(dir, baseline.key);
  const std::string text = to_json_text(baseline);
  // The loader's rules, before writing: a file that does not load back would make every later
  // update fail and break 'baseline show' for the whole directory.
  if (auto loads = baseline_from_json_text(text); !loads)
    return fail(fmt::format(
        "{} was not written: its new content would not load back ({}); the run being added is "
        "damaged",
        path.string(), loads.error().message));
  if (auto written = util::write_file_atomic(path, text); !written)
    return std::unexpected(written.error());
  return path;
}

Expected<std::vector<Baseline>> list(const std::filesystem::path& dir) {
  std::vector<Baseline> out;
  auto dir_exists = usable_dir(dir);
  if (!dir_exists) return std::unexpected(dir_exists.error());
  if (!*dir_exists) return out;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& path = it->path();
    const std::string name = path.filename().string();
    if (name.starts_with(".") || path.extension() != ".json") continue;
    if (!it->is_regular_file()) continue;
    files.push_back(path);
  }
  if (ec) return fail(fmt::format("cannot list {}: {}", dir.string(), ec.message()));
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    auto baseline = read_baseline(path, path.stem().string());
    if (!baseline) return std::unexpected(baseline.error());
    out.push_back(std::move(*baseline));
  }
  return out;
}

}  // namespace gilguard::baseline
