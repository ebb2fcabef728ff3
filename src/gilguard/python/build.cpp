#include "gilguard/python/build.hpp"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sched.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <regex>

#include "gilguard/git/revision.hpp"
#include "gilguard/python/environment.hpp"
#include "gilguard/python/probe.hpp"
#include "gilguard/python/source.hpp"
#include "gilguard/report/annotations.hpp"
#include "gilguard/util/files.hpp"
#include "gilguard/util/sha256.hpp"
#include "gilguard/version.hpp"

namespace gilguard::python {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::string_view k_complete_file = "complete.json";
constexpr std::size_t k_failure_tail_lines = 20;
// The most of a failed step's log read for its tail; a larger log shows the step's stderr.
constexpr std::size_t k_max_log_bytes = std::size_t{64} << 20;
// Marks a finished directory under <prefix>/sources/ (an unpacked tarball, a checked-out tree).
constexpr std::string_view k_source_marker = ".gilguard-unpacked";

// Prints a progress line to `progress` (when not null) through report::defuse_commands: the
// lines carry --source, --ref, --prefix and paths under them, and none of their text may become
// a workflow command (a "::" at a line's start) or a terminal escape.
template <typename... Args>
void say(std::FILE* progress, fmt::format_string<Args...> format, Args&&... args) {
  if (progress == nullptr) return;
  const std::string line =
      report::defuse_commands(fmt::format(format, std::forward<Args>(args)...));
  std::fputs(line.c_str(), progress);
  std::fflush(progress);
}

// Holds an exclusive flock on a file for as long as it lives (released on close, or when the
// process dies, so a killed build never leaves a stale lock).
class FileLock {
 public:
  FileLock(const fs::path& path, std::FILE* progress, std::string_view what) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
      throw usage_error(
          fmt::format("cannot create the lock file {}: {}; check that the prefix "
                      "is writable or pass another --prefix",
                      path.string(), std::strerror(errno)));
    if (::flock(m_fd, LOCK_EX | LOCK_NB) == 0) return;
    say(progress, "waiting for another gilguard process building {} (lock {})\n", what,
        path.string());
    while (::flock(m_fd, LOCK_EX) != 0) {
      if (errno != EINTR)
        throw usage_error(fmt::format("cannot lock {}: {}", path.string(), std::strerror(errno)));
    }
  }
  ~FileLock() {
    if (m_fd >= 0) ::close(m_fd);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int m_fd = -1;
};

std::string utc_now() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string indented(const std::string& text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    out += "    " + text.substr(pos, end - pos) + "\n";
    pos = end + 1;
  }
  return out;
}

void remove_quietly(const fs::path& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
}

// The digest part of a tarball's identity ("tarball sha256=<hex>").
std::string identity_digest(const std::string& identity) {
  const auto eq = identity.rfind('=');
  return eq == std::string::npos ? util::sha256_hex(identity) : identity.substr(eq + 1);
}

// Runs a child with the build's environment, stdout into `log`, stderr appended after it.
struct Phase {
  std::string flavor;
  std::FILE* progress = nullptr;
  const util::Environment* env = nullptr;

  double run(std::string_view name, const std::vector<std::string>& argv, const fs::path& cwd,
             const fs::path& log, std::chrono::milliseconds timeout = {}) const {
    say(progress, "[{}] {} ... (log: {})\n", flavor, name, log.string());
    const auto started = Clock::now();
    util::ProcessOptions options;
    options.working_directory = cwd;
    options.stdout_file = log;
    options.timeout = timeout;
    options.max_capture_bytes = 8 * 1024 * 1024;
    auto result = util::run_process(argv, *env, options);
    const double elapsed = seconds_since(started);
    if (!result)
      throw usage_error(fmt::format(
          "[{}] {} could not start: {}; install the build tools (scripts/install-deps.sh) and "
          "run the same command again",
          flavor, name, result.error().message));
    if (!result->stderr_text.empty()) {
      std::FILE* out = std::fopen(log.c_str(), "a");
      if (out != nullptr) {
        fmt::print(out, "\n--- stderr of {} ---\n{}", fmt::join(argv, " "), result->stderr_text);
        std::fclose(out);
      }
    }
    if (!result->success()) {
      const auto text = util::read_regular_file(log, k_max_log_bytes, "a build log");
      const std::string tail =
          util::tail_lines(text ? *text : result->stderr_text, k_failure_tail_lines);
      throw usage_error(fmt::format(
          "[{}] {} failed ({}{}) after {:.1f} s.\nLog: {}; its last lines:\n{}"
          "Fix the cause (a missing build dependency? run scripts/install-deps.sh; a bad "
          "--configure-arg?), then run the same command again: the unfinished build is "
          "discarded and redone.",
          flavor, name, result->describe(), result->leftovers(), elapsed, log.string(),
          indented(tail)));
    }
    say(progress, "[{}] {} done in {:.1f} s{}\n", flavor, name, elapsed, result->leftovers());
    return elapsed;
  }
};

// Makes <sources>/<name>/ once for every build that needs it: under a lock, `fill` writes into
// <name>.partial, which gets a marker and is renamed into place only when complete, so a killed
// fill leaves nothing that looks finished. A directory with the marker is reused as it is.
template <typename Fill>
fs::path make_source_once(const fs::path& sources, const std::string& name,
                          const std::string& marker_text, const std::string& what,
                          std::FILE* progress, Fill&& fill) {
  const fs::path target = sources / name;
  FileLock lock(sources / (name + ".lock"), progress, what);
  std::error_code ec;
  if (fs::exists(target / k_source_marker, ec)) return target;
  remove_quietly(target);
  const fs::path partial = sources / (name + ".partial");
  remove_quietly(partial);
  fs::create_directories(sources, ec);
  if (ec)
    throw usage_error(fmt::format("cannot create {}: {}; pass a writable --prefix",
                                  sources.string(), ec.message()));
  const auto started = Clock::now();
  try {
    fill(partial);
  } catch (const Failure&) {
    remove_quietly(partial);
    throw;
  }
  if (auto ok = util::write_file_atomic(partial / k_source_marker, marker_text + "\n"); !ok)
    throw usage_error(ok.error().message);
  fs::rename(partial, target, ec);
  if (ec)
    throw usage_error(
        fmt::format("cannot rename {} to {}: {}", partial.string(), target.string(), ec.message()));
  say(progress, "{} ready in {:.1f} s\n", what, seconds_since(started));
  return target;
}

// The CPython tree in `dir`: `dir` itself or its only subdirectory that is one.
std::optional<fs::path> find_tree(const fs::path& dir) {
  if (is_cpython_tree(dir)) return dir;
  std::error_code ec;
  std::optional<fs::path> found;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory(ec) && is_cpython_tree(entry.path())) {
      if (found) return std::nullopt;  // two candidates: ambiguous
      found = entry.path();
    }
  }
  return found;
}

// Unpacks a tarball once under <prefix>/sources/<digest>/ and returns the CPython tree in it.
fs::path unpack_tarball(const Source& source, const std::string& identity, const fs::path& prefix,
                        const util::Environment& env, std::FILE* progress) {
  const auto unpack = [&](const fs::path& partial) {
    std::error_code ec;
    fs::create_directories(partial, ec);
    if (ec)
      throw usage_error(fmt::format("cannot create {}: {}; pass a writable --prefix",
                                    partial.string(), ec.message()));
    const std::string name = source.path.filename().string();
    const bool xz = name.ends_with(".xz") || name.ends_with(".txz");
    const std::vector<std::string> argv = {"tar", xz ? "-xJf" : "-xzf", source.path.string(),
                                           "-C",  partial.string(),     "--no-same-owner"};
    say(progress, "unpacking {} ...\n", source.path.string());
    util::ProcessOptions options;
    options.timeout = std::chrono::minutes(20);
    auto result = util::run_process(argv, env, options);
    if (!result || !result->success()) {
      const std::string why = !result
                                  ? result.error().message + "\n"
                                  : fmt::format("tar {}:\n{}", result->describe(),
                                                indented(util::tail_lines(result->stderr_text, 5)));
      throw usage_error(fmt::format(
          "cannot unpack --source {}: {}Check that it is a complete CPython source tarball "
          "(download it again, or run scripts/find-cpython-source.sh to get a verified one).",
          source.path.string(), why));
    }
    if (!find_tree(partial))
      throw usage_error(
          fmt::format("--source {} unpacked, but holds no CPython source tree (no configure and "
                      "Include/Python.h at its top); pass a CPython source tarball such as "
                      "Python-3.13.5.tar.xz",
                      source.path.string()));
  };
  const std::string digest = identity_digest(identity).substr(0, 16);
  const fs::path target =
      make_source_once(prefix / "sources", digest, identity,
                       "the source of " + source.path.string(), progress, unpack);
  if (auto tree = find_tree(target)) return *tree;
  // A marker over a tree that is gone (edited by hand): unpack again.
  remove_quietly(target);
  return *find_tree(make_source_once(prefix / "sources", digest, identity,
                                     "the source of " + source.path.string(), progress, unpack));
}

// Checks the tree of `revision` out once under <prefix>/sources/tree-<id16>/, leaving the
// repository's work tree and index alone, and returns it.
fs::path check_out_revision(const fs::path& repository, const std::string& ref,
                            const git::Revision& revision, const fs::path& prefix,
                            std::FILE* progress) {
  const auto check_out = [&](const fs::path& partial) {
    say(progress, "checking out {} (commit {}) of {} into {} ...\n", ref,
        revision.commit.substr(0, 12), repository.string(), partial.string());
    value_or_throw(git::export_tree(repository, revision.tree, partial),
                   fmt::format("--ref {}", ref));
    if (!is_cpython_tree(partial))
      throw usage_error(
          fmt::format("--ref {} (commit {}) of {} holds no CPython source tree (no configure and "
                      "Include/Python.h at its top); pass a revision of a CPython repository",
                      ref, revision.commit.substr(0, 12), repository.string()));
  };
  return make_source_once(prefix / "sources", "tree-" + revision.tree.substr(0, 16),
                          "git tree=" + revision.tree, "tree " + revision.tree.substr(0, 12),
                          progress, check_out);
}

// install/bin/python3.X (gil) or python3.Xt (ft), the highest X when there are several.
std::optional<fs::path> find_installed_interpreter(const fs::path& bin, Flavor flavor) {
  const std::regex pattern(flavor == Flavor::ft ? R"(python3\.(\d+)t)" : R"(python3\.(\d+))");
  std::optional<fs::path> best;
  int best_minor = -1;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(bin, ec)) {
    std::smatch match;
    const std::string name = entry.path().filename().string();
    if (!std::regex_match(name, match, pattern)) continue;
    const int minor = std::stoi(match[1].str());
    if (minor > best_minor) {
      best_minor = minor;
      best = entry.path();
    }
  }
  return best;
}

// What a build is made from, and the identity of its content for the cache key.
struct Origin {
  Source source;
  std::string identity;
  std::optional<git::Revision> revision;  // with --ref: what it names
};

Origin identify(const BuildRequest& request, const fs::path& prefix, std::FILE* progress) {
  const auto started = Clock::now();
  if (!request.ref.empty()) {
    // A revision's content is its tree, wherever the work tree stands: the same tree from any
    // commit, branch or clone has the same identity (and that of a clean checkout of it).
    std::error_code ec;
    const fs::path repository = fs::absolute(request.source, ec).lexically_normal();
    const git::Revision revision = value_or_throw(git::resolve_revision(repository, request.ref),
                                                  "--source " + request.source.string());
    say(progress, "source: {} at {} (commit {}, tree {}; resolved in {:.2f} s)\n",
        repository.string(), request.ref, revision.commit.substr(0, 12),
        revision.tree.substr(0, 12), seconds_since(started));
    return {{SourceKind::git, repository}, "git tree=" + revision.tree, revision};
  }
  const Source source = value_or_throw(classify_source(request.source), "");
  if (source.kind != SourceKind::tarball) {
    const auto inside = prefix.lexically_relative(source.path);
    if (!inside.empty() && *inside.begin() != "..")
      throw usage_error(fmt::format(
          "--prefix {} is inside --source {}: the builds would change the source's identity "
          "on every call; pass a --prefix outside the source tree (the default is {})",
          prefix.string(), source.path.string(),
          default_build_prefix(request.environment).string()));
  }
  std::string identity =
      value_or_throw(source_identity(source), "reading --source " + source.path.string());
  say(progress, "source: {} ({}, identified in {:.2f} s)\n", source.path.string(),
      to_string(source.kind), seconds_since(started));
  return {source, std::move(identity), std::nullopt};
}

// Why the finished build recorded in `dir` is not the one asked for, or nullopt when it is: the
// directory's name holds only the first 16 digits of the key, so the record must name the whole
// key (another key with the same prefix, or a record edited or restored from elsewhere, must
// not be taken for this build), the flavour, and an interpreter inside the directory.
std::optional<std::string> cached_record_problem(const baseline::BuildRecord& record,
                                                 const std::string& key, Flavor flavor,
                                                 const fs::path& dir) {
  if (record.key != key)
    return fmt::format("its record ({}) has the cache key {}, not this build's {}",
                       (dir / k_complete_file).string(), record.key, key);
  if (record.flavor != flavor)
    return fmt::format("its record ({}) is of a {} build", (dir / k_complete_file).string(),
                       to_string(record.flavor));
  const auto inside = fs::path(record.interpreter).lexically_normal().lexically_relative(dir);
  if (inside.empty() || *inside.begin() != "install")
    return fmt::format("its record ({}) names the interpreter {}, outside {}",
                       (dir / k_complete_file).string(), record.interpreter,
                       (dir / "install").string());
  return std::nullopt;
}

}  // namespace

std::string cache_key_text(const CacheKeyInputs& inputs) {
  // One "name=value" line per input; values are escaped so that no value can forge a line.
  const auto line = [](std::string_view name, std::string_view value) {
    std::string out(name);
    out += '=';
    for (const char c : value) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    out += '\n';
    return out;
  };
  std::string text;
  text += line("recipe", std::to_string(k_build_recipe_version));
  text += line("source", inputs.source_identity);
  text += line("flavor", to_string(inputs.flavor));
  text += line("optimize", inputs.optimize ? "1" : "0");
  for (const auto& [name, value] : inputs.build_variables)  // a std::map: sorted by name
    text += line("env." + name, value);
  for (const auto& arg : inputs.configure_args) text += line("configure_arg", arg);
  return text;
}

std::string cache_key(const CacheKeyInputs& inputs) {
  return util::sha256_hex(cache_key_text(inputs));
}

std::string build_directory_name(Flavor flavor, std::string_view key) {
  return fmt::format("{}-{}", to_string(flavor), key.substr(0, 16));
}

std::vector<std::string> configure_arguments(Flavor flavor, bool optimize,
                                             const std::vector<std::string>& extra,
                                             const fs::path& install_dir) {
  std::vector<std::string> args = {"--prefix=" + install_dir.string()};
  if (flavor == Flavor::ft) args.emplace_back("--disable-gil");
  if (optimize) {
    args.emplace_back("--enable-optimizations");
    args.emplace_back("--with-lto");
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

fs::path default_build_prefix(const util::Environment& env) {
  const auto xdg = env.find("XDG_CACHE_HOME");
  if (xdg != env.end() && !xdg->second.empty() && fs::path(xdg->second).is_absolute())
    return fs::path(xdg->second) / "gilguard" / "cpython";
  const auto home = env.find("HOME");
  const std::string base = home != env.end() && !home->second.empty() ? home->second : "/tmp";
  return fs::path(base) / ".cache" / "gilguard" / "cpython";
}

int usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    const int count = CPU_COUNT(&set);
    if (count > 0) return count;
  }
  const long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<int>(online) : 1;
}

std::optional<baseline::BuildRecord> read_complete_build(const fs::path& build_dir) {
  const auto text = util::read_json_file(build_dir / k_complete_file);
  if (!text) return std::nullopt;
  auto record = baseline::build_record_from_json_text(*text);
  if (!record) return std::nullopt;
  if (::access(record->interpreter.c_str(), X_OK) != 0) return std::nullopt;
  return *record;
}

std::vector<baseline::BuildRecord> list_complete_builds(const fs::path& prefix) {
  std::vector<baseline::BuildRecord> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(prefix, ec)) {
    if (!entry.is_directory(ec)) continue;
    if (auto record = read_complete_build(entry.path())) out.push_back(std::move(*record));
  }
  return out;
}

std::vector<baseline::BuiltInterpreter> build(const BuildRequest& request, std::FILE* progress) {
  std::error_code ec;
  const fs::path prefix = fs::absolute(request.prefix, ec).lexically_normal();
  const Origin origin = identify(request, prefix, progress);
  const Source& source = origin.source;

  fs::create_directories(prefix, ec);
  if (ec)
    throw usage_error(fmt::format("cannot create --prefix {}: {}; pass a writable directory",
                                  prefix.string(), ec.message()));

  util::Environment child_env = minimal_environment(request.environment);
  util::Environment build_variables;
  for (const auto name : k_build_variables) {
    const auto it = request.environment.find(std::string(name));
    if (it != request.environment.end()) {
      build_variables.insert(*it);
      child_env.insert(*it);
    }
  }
  const int jobs = request.jobs > 0 ? request.jobs : usable_cpus();

  const std::string commit = origin.revision ? origin.revision->commit : "";
  std::optional<fs::path> tree;
  std::vector<baseline::BuiltInterpreter> built;
  for (const Flavor flavor : request.flavors) {
    const CacheKeyInputs inputs{origin.identity, flavor, request.optimize, request.configure_args,
                                build_variables};
    const std::string key = cache_key(inputs);
    const std::string name = build_directory_name(flavor, key);
    const fs::path dir = prefix / name;
    const std::string flavor_name(to_string(flavor));
    FileLock lock(prefix / (name + ".lock"), progress, "the " + flavor_name + " interpreter");

    if (auto record = read_complete_build(dir)) {
      const auto problem = cached_record_problem(*record, key, flavor, dir);
      if (!problem) {
        say(progress, "[{}] cached: {} (built {})\n", flavor_name, record->interpreter,
            record->finished_at);
        built.push_back({flavor, record->interpreter, true, commit});
        continue;
      }
      say(progress, "[{}] not reusing the build in {}: {}; building it again\n", flavor_name,
          dir.string(), *problem);
    }

    if (!tree) {  // made lazily: a fully cached call never unpacks or checks out
      if (origin.revision) {
        tree = check_out_revision(source.path, request.ref, *origin.revision, prefix, progress);
      } else if (source.kind == SourceKind::tarball) {
        tree = unpack_tarball(source, origin.identity, prefix, child_env, progress);
      } else {
        tree = source.path;
      }
    }
    // Whatever is here is a failed or interrupted build: start over.
    remove_quietly(dir);
    const fs::path build_dir = dir / "build";
    const fs::path install_dir = dir / "install";
    const fs::path logs = dir / "logs";
    for (const auto& d : {build_dir, install_dir, logs}) {
      fs::create_directories(d, ec);
      if (ec)
        throw usage_error(fmt::format("cannot create {}: {}; pass a writable --prefix", d.string(),
                                      ec.message()));
    }

    const Phase phase{flavor_name, progress, &child_env};
    const auto started = Clock::now();
    baseline::BuildRecord record;
    std::vector<std::string> configure = {(*tree / "configure").string()};
    for (auto& arg :
         configure_arguments(flavor, request.optimize, request.configure_args, install_dir))
      configure.push_back(std::move(arg));
    try {
      record.phase_seconds["configure"] =
          phase.run("configure", configure, build_dir, logs / "configure.log");
      record.phase_seconds["make"] =
          phase.run("make", {"make", fmt::format("-j{}", jobs)}, build_dir, logs / "make.log");
      record.phase_seconds["install"] =
          phase.run("install", {"make", "install"}, build_dir, logs / "install.log");
    } catch (const Failure&) {
      remove_quietly(install_dir);  // never leave an interpreter that looks usable
      throw;
    }

    const auto interpreter = find_installed_interpreter(install_dir / "bin", flavor);
    if (!interpreter)
      throw usage_error(fmt::format(
          "[{}] make install finished but {} holds no python3.X{} ; see {} and report this",
          flavor_name, (install_dir / "bin").string(), flavor == Flavor::ft ? "t" : "",
          (logs / "install.log").string()));
    const InterpreterFacts facts = value_or_throw(
        probe(*interpreter), fmt::format("[{}] checking the new interpreter", flavor_name));
    if (facts.flavor() != flavor)
      throw usage_error(
          fmt::format("[{}] the new interpreter {} is a {} build (Py_GIL_DISABLED={}); check the "
                      "--configure-arg values, which must not change --disable-gil",
                      flavor_name, interpreter->string(), to_string(facts.flavor()),
                      facts.gil_disabled_build ? 1 : 0));

    record.flavor = flavor;
    record.key = key;
    record.key_inputs = cache_key_text(inputs);
    record.source = source.path.string();
    record.source_identity = origin.identity;
    if (origin.revision) {
      record.source_ref = request.ref;
      record.source_commit = origin.revision->commit;
    }
    record.interpreter = interpreter->string();
    record.version = facts.version;
    record.finished_at = utc_now();
    record.gilguard_version = k_version;
    // Written last: only now does this directory count as a finished build.
    value_or_throw(
        util::write_file_atomic(dir / k_complete_file, baseline::build_record_to_json_text(record)),
        "recording the finished build");
    say(progress, "[{}] built {} in {:.1f} s\n", flavor_name, interpreter->string(),
        seconds_since(started));
    built.push_back({flavor, interpreter->string(), false, commit});
  }
  return built;
}

}  // namespace gilguard::python
