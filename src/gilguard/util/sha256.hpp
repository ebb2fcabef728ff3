#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "gilguard/core/error.hpp"

namespace gilguard::util {

// Incremental SHA-256 (OpenSSL's EVP implementation) for hashing several pieces in one digest.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  // Adds bytes to the digest.
  void update(std::string_view bytes);
  // Adds a file's whole content; fails naming the file when it cannot be read.
  Expected<void> update_file(const std::filesystem::path& path);
  // The digest as 64 lowercase hex digits; the object cannot be updated afterwards.
  std::string hex_digest();

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

// SHA-256 of a regular file's content as 64 lowercase hex digits (a FIFO or a device is refused).
Expected<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace gilguard::util
