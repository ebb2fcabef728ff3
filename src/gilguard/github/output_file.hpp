#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gilguard/core/error.hpp"

namespace gilguard::github {

// A step output: name and value.
using Output = std::pair<std::string, std::string>;

// "ghadelimiter_<32 random hex digits>", from the system's random device.
std::string random_delimiter();

// The $GITHUB_OUTPUT text for `outputs`, each in the heredoc form
// "name<<DELIM\nvalue\nDELIM\n", so values may hold any text, line breaks included. A fresh
// delimiter is drawn from `make_delimiter` until it occurs in neither the name nor the value.
// Fails on a name that is not [A-Za-z0-9_-]+.
Expected<std::string> format_outputs(
    const std::vector<Output>& outputs,
    const std::function<std::string()>& make_delimiter = random_delimiter);

// Appends the outputs to the file named by $GITHUB_OUTPUT.
Expected<void> append_outputs(const std::filesystem::path& path,
                              const std::vector<Output>& outputs);

// Appends Markdown to the file named by $GITHUB_STEP_SUMMARY (a newline is added when the text
// does not end in one).
Expected<void> append_step_summary(const std::filesystem::path& path, std::string_view markdown);

}  // namespace gilguard::github
