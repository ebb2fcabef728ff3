#include "support/test_util.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "gilguard/util/process.hpp"

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

std::string run_git(const std::filesystem::path& dir, std::vector<std::string> args) {
  const util::Environment env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
                                 {"HOME", dir.string()},
                                 {"GIT_CONFIG_NOSYSTEM", "1"},
                                 {"GIT_AUTHOR_NAME", "Test"},
                                 {"GIT_AUTHOR_EMAIL", "test@example.com"},
                                 {"GIT_COMMITTER_NAME", "Test"},
                                 {"GIT_COMMITTER_EMAIL", "test@example.com"}};
  args.insert(args.begin(), "git");
  util::ProcessOptions options;
  options.working_directory = dir;
  options.timeout = std::chrono::seconds(30);
  const auto result = util::run_process(args, env, options);
  if (!result || !result->success())
    throw std::runtime_error("git " + args.at(1) +
                             " failed: " + (result ? result->stderr_text : result.error().message));
  std::string out = result->stdout_text;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

void make_fake_cpython(const std::filesystem::path& dir) {
  write_file(dir / "Include" / "Python.h", "/* fake */\n");
  write_file(dir / "configure", R"SH(#!/bin/sh
prefix=; ft=false; name=python3.13; failflag=/nonexistent
for a in "$@"; do
  case "$a" in
    --prefix=*) prefix="${a#--prefix=}" ;;
    --disable-gil) ft=true; name=python3.13t ;;
    --lie) lie=1 ;;
    --fail-if-exists=*) failflag="${a#--fail-if-exists=}" ;;
    --fail-configure) echo "configure: error: the test asked configure to fail" >&2; exit 1 ;;
  esac
done
[ -n "$lie" ] && { if [ $ft = true ]; then ft=false; else ft=true; fi; }
echo "checking for a fake compiler... yes"
src=$(dirname "$0")
printf 'all:\n\t@test ! -e %s || { echo "the test asked make to fail" >&2; exit 1; }\n\t@echo compiled\ninstall:\n\tsh %s/install.sh %s %s %s\n' \
  "$failflag" "$src" "$prefix" "$ft" "$name" > Makefile
)SH");
  std::filesystem::permissions(dir / "configure", std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add);
  write_file(dir / "install.sh", R"SH(mkdir -p "$1/bin"
cat > "$1/bin/$3" <<EOF
#!/bin/sh
echo 'GILGUARD-FACTS {"path": "p", "executable": "/p", "version": "3.13.5", "implementation": "cpython", "py_gil_disabled": $2, "gil_enabled_at_start": false, "config_args": "", "platform": "linux-x86_64", "logical_cpus": 2, "usable_cpus": 2}'
EOF
chmod +x "$1/bin/$3"
)SH");
}

std::filesystem::path gilguard_binary() { return GILGUARD_BINARY; }

std::filesystem::path data_dir() { return GILGUARD_TEST_DATA_DIR; }

std::optional<Interpreters> find_test_interpreters() {
  const char* gil = std::getenv("GILGUARD_TEST_PYTHON_GIL");
  const char* ft = std::getenv("GILGUARD_TEST_PYTHON_FT");
  if (gil == nullptr || ft == nullptr || *gil == '\0' || *ft == '\0') return std::nullopt;
  return Interpreters{gil, ft};
}

namespace {

// The stdout of `argv`; throws, with its stdout and stderr, when it cannot run or fails.
std::string checked_output(const std::vector<std::string>& argv,
                           const util::Environment& env = util::current_environment()) {
  util::ProcessOptions options;
  options.timeout = std::chrono::minutes(5);
  auto result = util::run_process(argv, env, options);
  if (!result) throw std::runtime_error(argv[0] + ": " + result.error().message);
  if (!result->success())
    throw std::runtime_error(argv[0] + " failed (" + result->describe() + "):\n" +
                             result->stdout_text + result->stderr_text);
  return result->stdout_text;
}

std::string extension_source(const std::string& name, bool declares_no_gil) {
  return "#define PY_SSIZE_T_CLEAN\n"
         "#include <Python.h>\n"
         "static PyObject *answer(PyObject *self, PyObject *unused) {\n"
         "  return PyLong_FromLong(42);\n"
         "}\n"
         "static PyMethodDef methods[] = {\n"
         "  {\"answer\", answer, METH_NOARGS, \"Returns 42.\"},\n"
         "  {NULL, NULL, 0, NULL}};\n"
         "static PyModuleDef_Slot slots[] = {\n" +
         std::string(declares_no_gil ? "  {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n" : "") +
         "  {0, NULL}};\n"
         "static struct PyModuleDef definition = {\n"
         "  PyModuleDef_HEAD_INIT, \"" +
         name +
         "\", NULL, 0, methods, slots};\n"
         "PyMODINIT_FUNC PyInit_" +
         name + "(void) { return PyModuleDef_Init(&definition); }\n";
}

}  // namespace

std::string python_says(const std::filesystem::path& python, const std::string& code) {
  const auto out = checked_output({python.string(), "-I", "-c", code});
  return out.substr(0, out.find('\n'));
}

std::filesystem::path build_extension(const std::filesystem::path& python, const std::string& name,
                                      bool declares_no_gil, const std::filesystem::path& dir) {
  const auto include =
      python_says(python, "import sysconfig; print(sysconfig.get_paths()['include'])");
  const auto suffix =
      python_says(python, "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))");
  const auto cc = util::find_on_path("cc", util::current_environment());
  if (!cc) throw std::runtime_error("cc is not on PATH: install a C compiler (build-essential)");
  const auto source = dir / "src" / (name + ".c");
  write_file(source, extension_source(name, declares_no_gil));
  const auto module = dir / (name + suffix);
  checked_output({cc->string(), "-shared", "-fPIC", "-O0", "-I" + include, source.string(), "-o",
                  module.string()});
  return module;
}

Venv make_venv(const std::filesystem::path& python, const std::filesystem::path& dir) {
  checked_output({python.string(), "-I", "-m", "venv", "--without-pip", dir.string()});
  Venv venv{dir / "bin" / "python", {}};
  venv.site_packages =
      python_says(venv.python, "import sysconfig; print(sysconfig.get_paths()['purelib'])");
  return venv;
}

std::filesystem::path scalepkg_dir() { return data_dir() / "packages" / "scalepkg"; }

Venv make_package_venv(const std::filesystem::path& python,
                       const std::filesystem::path& package_dir, const std::filesystem::path& dir,
                       const std::map<std::string, std::string>& build_environment) {
  // pip builds a local directory in place (build/, *.egg-info): build a copy.
  const auto source = dir.parent_path() / (dir.filename().string() + "-source");
  std::filesystem::remove_all(source);
  std::filesystem::copy(package_dir, source, std::filesystem::copy_options::recursive);
  checked_output({python.string(), "-I", "-m", "venv", dir.string()});
  const auto venv_python = dir / "bin" / "python";
  const std::vector<std::string> pip = {
      venv_python.string(),          "-m",         "pip",       "install",
      "--disable-pip-version-check", "--no-input", "--no-index"};
  auto tools = pip;
  tools.insert(tools.end(), {"--find-links", k_system_wheels, "setuptools", "wheel"});
  checked_output(tools);
  auto env = util::current_environment();
  for (const auto& [name, value] : build_environment) env[name] = value;
  auto package = pip;
  package.insert(package.end(), {"--no-build-isolation", source.string()});
  checked_output(package, env);
  Venv venv{venv_python, {}};
  venv.site_packages =
      python_says(venv.python, "import sysconfig; print(sysconfig.get_paths()['purelib'])");
  return venv;
}

}  // namespace gilguard::test

namespace gilguard::test {

void install_distribution(const Venv& venv, const std::string& name,
                          const std::vector<std::pair<std::string, std::filesystem::path>>& files,
                          const std::vector<std::pair<std::string, std::string>>& texts) {
  std::string record;
  for (const auto& [path, source] : files) {
    std::filesystem::create_directories((venv.site_packages / path).parent_path());
    std::filesystem::copy_file(source, venv.site_packages / path,
                               std::filesystem::copy_options::overwrite_existing);
    record += path + ",,\n";
  }
  for (const auto& [path, text] : texts) {
    write_file(venv.site_packages / path, text);
    record += path + ",,\n";
  }
  // The folder's name escapes the distribution's as wheels do ('-' and '.' become '_'):
  // importlib.metadata takes the name to be what precedes the first '-'.
  std::string escaped = name;
  for (auto& c : escaped)
    if (c == '-' || c == '.') c = '_';
  const std::string info = escaped + "-1.0.dist-info";
  write_file(venv.site_packages / info / "METADATA",
             "Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n");
  record += info + "/METADATA,,\n" + info + "/RECORD,,\n";
  write_file(venv.site_packages / info / "RECORD", record);
}

}  // namespace gilguard::test
