#pragma once

#include <filesystem>
#include <string>

namespace gilguard::test {

// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

// Reads a whole file; throws when it cannot.
std::string read_file(const std::filesystem::path& path);

// Writes a whole file, creating parent directories.
void write_file(const std::filesystem::path& path, const std::string& text);

// The built gilguard binary under test.
std::filesystem::path gilguard_binary();

// tests/data in the source tree.
std::filesystem::path data_dir();

}  // namespace gilguard::test
