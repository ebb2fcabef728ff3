#include "gilguard/python/environment.hpp"

#include <string>

namespace gilguard::python {

util::Environment minimal_environment(const util::Environment& from,
                                      std::initializer_list<std::string_view> extra) {
  util::Environment env;
  const auto copy = [&](std::string_view name) {
    const auto it = from.find(std::string(name));
    if (it != from.end()) env.insert(*it);
  };
  for (const auto name : k_base_variables) copy(name);
  for (const auto name : extra) copy(name);
  if (!env.contains("PATH")) env["PATH"] = "/usr/local/bin:/usr/bin:/bin";
  return env;
}

}  // namespace gilguard::python
