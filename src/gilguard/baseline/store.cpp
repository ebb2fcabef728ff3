#include "gilguard/baseline/store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>

#include "gilguard/baseline/codec.hpp"
#include "gilguard/baseline/key.hpp"
#include "gilguard/util/files.hpp"

namespace gilguard::baseline {
namespace {

// Reads and validates one file; `expected_key` is what its name says the key is.
Expected<Baseline> read_baseline(const std::filesystem::path& path,
                                 const std::string& expected_key) {
  auto text = util::read_file(path);
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

}  // namespace

std::filesystem::path baseline_path(const std::filesystem::path& dir, const std::string& key) {
  return dir / (key + ".json");
}

Expected<std::optional<Baseline>> load(const std::filesystem::path& dir, const std::string& key) {
  if (auto valid = validate_key(key); !valid) return std::unexpected(valid.error());
  const auto path = baseline_path(dir, key);
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) return std::optional<Baseline>{};
  if (!std::filesystem::is_regular_file(status))
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
  if (auto written = util::write_file_atomic(path, to_json_text(baseline)); !written)
    return std::unexpected(written.error());
  return path;
}

Expected<std::vector<Baseline>> list(const std::filesystem::path& dir) {
  std::vector<Baseline> out;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return out;
  if (!std::filesystem::is_directory(dir, ec))
    return fail(fmt::format("{} is not a directory; pass the baselines directory with --baselines",
                            dir.string()));
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
