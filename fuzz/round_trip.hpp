#pragma once

// What every loader's fuzz target checks beside "no crash, no sanitizer report": a document the
// loader accepts is written back by its encoder, and that text reads back and writes the same
// bytes again. A value gilguard reads but cannot write back (NaN where JSON has null, bytes that
// are not UTF-8) would make a file that gilguard itself cannot read.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace gilguard::fuzz {

[[noreturn]] inline void fail_round_trip(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "round trip failed: %.*s\n%.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// decode(text) -> Expected<T>; encode(T) -> std::string.
template <typename Decode, typename Encode>
void check_round_trip(std::string_view text, Decode decode, Encode encode) {
  auto first = decode(text);
  if (!first) return;  // refused with a message: fine
  const std::string written = encode(*first);
  auto second = decode(written);
  if (!second) fail_round_trip("the written text does not read back", second.error().message);
  if (encode(*second) != written) fail_round_trip("writing it again changes the text", written);
}

}  // namespace gilguard::fuzz
