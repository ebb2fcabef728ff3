#include "gilguard/core/interpreter.hpp"

namespace gilguard {

std::string_view to_string(Flavor flavor) { return flavor == Flavor::gil ? "gil" : "ft"; }

std::optional<Flavor> parse_flavor(std::string_view text) {
  if (text == "gil") return Flavor::gil;
  if (text == "ft") return Flavor::ft;
  return std::nullopt;
}

std::string InterpreterFacts::major_minor() const {
  const auto first = version.find('.');
  if (first == std::string::npos) return version;
  const auto second = version.find('.', first + 1);
  return version.substr(0, second);
}

}  // namespace gilguard
