#pragma once

#include <expected>
#include <stdexcept>
#include <string>
#include <utility>

namespace gilguard {

// Process exit codes, the contract in DESIGN.md.
enum class ExitCode : int {
  ok = 0,          // no regression found
  regression = 1,  // a regression, or a failed check (wrong count, crash, GIL on in ft)
  usage = 2,       // usage, configuration or tool error
};

// What a leaf operation (process, file, JSON, libgit2, HTTP) returns on failure.
struct Error {
  std::string message;
};

template <typename T>
using Expected = std::expected<T, Error>;

// Shorthand for returning a failure from a function that returns Expected<T>.
inline std::unexpected<Error> fail(std::string message) {
  return std::unexpected(Error{std::move(message)});
}

// Thrown by orchestration code; caught once, in cli::run_main, which maps it to an exit code.
class Failure : public std::runtime_error {
 public:
  Failure(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}
  ExitCode code() const { return m_code; }

 private:
  ExitCode m_code;
};

// A usage, configuration or tool error: exit 2.
inline Failure usage_error(const std::string& message) { return {ExitCode::usage, message}; }

// A failed check (wrong result, crash, GIL enabled): exit 1.
inline Failure check_failure(const std::string& message) { return {ExitCode::regression, message}; }

// Returns the value, or throws a usage/tool Failure whose message is `context: <error>`.
template <typename T>
T value_or_throw(Expected<T>&& result, const std::string& context) {
  if (!result)
    throw usage_error(context.empty() ? result.error().message
                                      : context + ": " + result.error().message);
  return std::move(*result);
}

inline void value_or_throw(Expected<void>&& result, const std::string& context) {
  if (!result)
    throw usage_error(context.empty() ? result.error().message
                                      : context + ": " + result.error().message);
}

}  // namespace gilguard
