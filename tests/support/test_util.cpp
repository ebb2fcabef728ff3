#include "support/test_util.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace gilguard::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "gilguard-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  m_path = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::filesystem::path gilguard_binary() { return GILGUARD_BINARY; }

std::filesystem::path data_dir() { return GILGUARD_TEST_DATA_DIR; }

std::optional<Interpreters> find_test_interpreters() {
  const char* gil = std::getenv("GILGUARD_TEST_PYTHON_GIL");
  const char* ft = std::getenv("GILGUARD_TEST_PYTHON_FT");
  if (gil == nullptr || ft == nullptr || *gil == '\0' || *ft == '\0') return std::nullopt;
  return Interpreters{gil, ft};
}

}  // namespace gilguard::test
