#include "gilguard/util/secrets.hpp"

#include <sys/prctl.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

extern char** environ;

namespace gilguard::util {
namespace {

// What protect_secrets kept, by variable name.
std::map<std::string, std::string, std::less<>>& kept_variables() {
  static std::map<std::string, std::string, std::less<>> kept;
  return kept;
}

// Overwrites `length` bytes at `bytes` in a way the compiler may not leave out.
void wipe(char* bytes, std::size_t length) {
  volatile char* p = bytes;
  for (std::size_t i = 0; i < length; ++i) p[i] = '\0';
}

}  // namespace

bool protect_secrets() {
  // First: from here on a process of the same user cannot read this one's /proc files or
  // memory without CAP_SYS_PTRACE. Children start dumpable again (execve resets the flag).
  const bool non_dumpable = ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0;

  for (const auto name : k_secret_variables) {
    // environ still points into the block the kernel laid out at exec, the block
    // /proc/PID/environ shows. Keep the value, drop the variable, then overwrite the whole
    // entry there, name and value: nothing shows that there was one.
    std::vector<char*> entries;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
      const std::string_view text(*entry);
      if (text.size() > name.size() && text.starts_with(name) && text[name.size()] == '=')
        entries.push_back(*entry);
    }
    if (entries.empty()) continue;
    kept_variables()[std::string(name)] = std::string(entries.front() + name.size() + 1);
    ::unsetenv(std::string(name).c_str());
    for (char* entry : entries) wipe(entry, std::strlen(entry));
  }

  return non_dumpable;
}

void wipe_secret_options(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (argv[i] == nullptr) break;
    const std::string_view arg(argv[i]);
    if (arg == "--") break;
    for (const auto option : k_secret_options) {
      char* value = nullptr;
      if (arg == option && i + 1 < argc && argv[i + 1] != nullptr) {
        value = argv[i + 1];
      } else if (arg.size() > option.size() && arg.starts_with(option) &&
                 arg[option.size()] == '=') {
        value = argv[i] + option.size() + 1;
      }
      if (value == nullptr) continue;
      const std::size_t length = std::strlen(value);
      std::memset(value, 'x', length);
    }
  }
}

const std::string& github_token() {
  static const std::string none;
  const auto& kept = kept_variables();
  const auto it = kept.find(std::string_view("GITHUB_TOKEN"));
  return it == kept.end() ? none : it->second;
}

}  // namespace gilguard::util
