#pragma once

#include <string>
#include <string_view>

namespace gilguard::util {

// `text` as valid UTF-8: each maximal ill-formed subsequence (a stray continuation byte, a
// truncated sequence, an overlong form, a surrogate, a code point past U+10FFFF) replaced by
// U+FFFD, as Unicode recommends (chapter 3, "U+FFFD Substitution of Maximal Subparts"). Text a
// child printed may hold any bytes, and a JSON file with such bytes cannot be read back.
std::string valid_utf8(std::string_view text);

// Whether `text` is valid UTF-8 already.
bool is_valid_utf8(std::string_view text);

}  // namespace gilguard::util
