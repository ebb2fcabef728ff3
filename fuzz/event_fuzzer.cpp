// libFuzzer target: the webhook event payload reader (GITHUB_EVENT_PATH), which holds text a
// pull request's author wrote (its title, body and branch names).

#include <cstddef>
#include <cstdint>

#include "gilguard/github/context.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)gilguard::github::parse_pull_request_event({reinterpret_cast<const char*>(data), size});
  return 0;
}
