#include "gilguard/github/output_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

namespace gilguard::github {
namespace {

Expected<void> append(const std::filesystem::path& path, std::string_view text,
                      std::string_view what) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  if (!out) {
    return fail(fmt::format("cannot open {} to append the {}: {}", path.string(), what,
                            std::strerror(errno)));
  }
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.flush();
  if (!out) {
    return fail(
        fmt::format("cannot write the {} to {}: {}", what, path.string(), std::strerror(errno)));
  }
  return {};
}

bool valid_name(std::string_view name) {
  return !name.empty() && name.find_first_not_of(
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") ==
                              std::string_view::npos;
}

}  // namespace

std::string random_delimiter() {
  std::random_device device;
  std::string out = "ghadelimiter_";
  for (int i = 0; i < 4; ++i) out += fmt::format("{:08x}", device());
  return out;
}

Expected<std::string> format_outputs(const std::vector<Output>& outputs,
                                     const std::function<std::string()>& make_delimiter) {
  std::string text;
  for (const auto& [name, value] : outputs) {
    if (!valid_name(name)) {
      return fail(
          fmt::format("'{}' is not a valid step output name (letters, digits, '_' and "
                      "'-' only)",
                      name));
    }
    std::string delimiter;
    for (int attempt = 0;; ++attempt) {
      if (attempt == 100) {
        return fail(
            fmt::format("could not find a heredoc delimiter absent from output '{}'", name));
      }
      delimiter = make_delimiter();
      if (!delimiter.empty() && value.find(delimiter) == std::string::npos &&
          name.find(delimiter) == std::string::npos) {
        break;
      }
    }
    text += fmt::format("{}<<{}\n{}\n{}\n", name, delimiter, value, delimiter);
  }
  return text;
}

Expected<void> append_outputs(const std::filesystem::path& path,
                              const std::vector<Output>& outputs) {
  auto text = format_outputs(outputs);
  if (!text) return std::unexpected(text.error());
  return append(path, *text, "step outputs");
}

Expected<void> append_step_summary(const std::filesystem::path& path, std::string_view markdown) {
  std::string text(markdown);
  if (!text.empty() && text.back() != '\n') text += '\n';
  return append(path, text, "step summary");
}

}  // namespace gilguard::github
