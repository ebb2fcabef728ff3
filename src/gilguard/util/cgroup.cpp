#include "gilguard/util/cgroup.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

namespace gilguard::util {

namespace fs = std::filesystem;

struct ChildCgroup::State {
  bool v2 = false;
  fs::path dir;   // the child's cgroup
  fs::path home;  // gilguard's own cgroup, where enter() is undone
  bool entered = false;
};

namespace {

std::string read_all(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes `text` to a cgroup control file in one write(2), as the kernel expects.
Expected<void> write_control(const fs::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return fail(fmt::format("{}: {}", path.string(), std::strerror(errno)));
  const ssize_t written = ::write(fd, text.data(), text.size());
  const int error = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size()))
    return fail(fmt::format("{}: {}", path.string(), std::strerror(error)));
  return {};
}

// gilguard's own cgroup in the hierarchy whose /proc/self/cgroup line matches: the v2 line
// ("0::/path") when v2, else the line whose controllers include cpuacct.
std::optional<std::string> own_path(bool v2) {
  std::istringstream lines(read_all("/proc/self/cgroup"));
  for (std::string line; std::getline(lines, line);) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (v2 && line.starts_with("0::")) return path;
    if (!v2) {
      std::istringstream names(controllers);
      for (std::string name; std::getline(names, name, ',');)
        if (name == "cpuacct") return path;
    }
  }
  return std::nullopt;
}

bool alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

// Removes empty gilguard-<pid>-* cgroups beside ours whose gilguard is gone (a killed run).
void remove_stale(const fs::path& home) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(home, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("gilguard-")) continue;
    pid_t pid = 0;
    const char* begin = name.data() + 9;
    const auto [end, error] = std::from_chars(begin, name.data() + name.size(), pid);
    if (error != std::errc() || pid <= 0 || alive(pid)) continue;
    ::rmdir(entry.path().c_str());
  }
}

// An ended process not yet reaped: it uses no CPU and cannot be killed again.
bool is_zombie(pid_t pid) {
  const std::string stat = read_all(fmt::format("/proc/{}/stat", pid));
  const auto close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] == 'Z' ||
         stat[close + 2] == 'X';
}

pid_t this_thread() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

}  // namespace

Expected<ChildCgroup> ChildCgroup::create(const std::string& name) {
  // Where v2 is the only hierarchy it is the one; on a hybrid machine v1's cpuacct is tried
  // first (the cpu controller lives there), then the unified hierarchy.
  struct Try {
    bool v2;
    fs::path root;
  };
  std::vector<Try> tries;
  if (fs::exists("/sys/fs/cgroup/cgroup.controllers")) {
    tries.push_back({true, "/sys/fs/cgroup"});
  } else {
    for (const char* root : {"/sys/fs/cgroup/cpuacct", "/sys/fs/cgroup/cpu,cpuacct"})
      tries.push_back({false, root});
    tries.push_back({true, "/sys/fs/cgroup/unified"});
  }
  std::string why = "no cgroup file system with CPU accounting under /sys/fs/cgroup";
  for (const Try& t : tries) {
    if (!fs::exists(t.root / (t.v2 ? "cgroup.procs" : "cpuacct.usage"))) continue;
    const auto path = own_path(t.v2);
    if (!path) continue;
    const fs::path home = t.root / fs::path(*path).relative_path();
    remove_stale(home);
    const fs::path dir = home / fmt::format("gilguard-{}-{}", ::getpid(), name);
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      why = fmt::format("cannot make {}: {}", dir.string(), std::strerror(errno));
      continue;
    }
    const fs::path usage = dir / (t.v2 ? "cpu.stat" : "cpuacct.usage");
    if (!fs::exists(usage)) {
      ::rmdir(dir.c_str());
      why = fmt::format("{} has no {}", dir.string(), usage.filename().string());
      continue;
    }
    auto state = std::make_unique<State>();
    state->v2 = t.v2;
    state->dir = dir;
    state->home = home;
    return ChildCgroup(std::move(state));
  }
  return fail(why);
}

ChildCgroup::ChildCgroup(std::unique_ptr<State> state) : m_state(std::move(state)) {}
ChildCgroup::ChildCgroup(ChildCgroup&&) noexcept = default;
ChildCgroup& ChildCgroup::operator=(ChildCgroup&&) noexcept = default;

ChildCgroup::~ChildCgroup() {
  if (!m_state) return;
  leave();
  kill_all();
  // An ended member can take a moment to leave; an empty cgroup left behind is removed by the
  // next run (remove_stale).
  for (int attempt = 0; attempt < 50 && ::rmdir(m_state->dir.c_str()) != 0 && errno == EBUSY;
       ++attempt)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

std::string ChildCgroup::kind() const { return m_state->v2 ? "cgroup v2" : "cgroup v1 cpuacct"; }

std::string ChildCgroup::usage_spec() const {
  return fmt::format("{}:{}", m_state->v2 ? "cgroup2" : "cgroup1",
                     (m_state->dir / (m_state->v2 ? "cpu.stat" : "cpuacct.usage")).string());
}

Expected<double> ChildCgroup::cpu_seconds() const {
  const fs::path usage = m_state->dir / (m_state->v2 ? "cpu.stat" : "cpuacct.usage");
  std::istringstream text(read_all(usage));
  if (!m_state->v2) {
    long long ns = 0;
    if (text >> ns) return static_cast<double>(ns) / 1e9;
  } else {
    std::string key;
    long long value = 0;
    while (text >> key >> value)
      if (key == "usage_usec") return static_cast<double>(value) / 1e6;
  }
  return fail(fmt::format("{}: no CPU usage to read", usage.string()));
}

Expected<void> ChildCgroup::enter() {
  const pid_t who = m_state->v2 ? ::getpid() : this_thread();
  auto moved =
      write_control(m_state->dir / (m_state->v2 ? "cgroup.procs" : "tasks"), std::to_string(who));
  if (moved) m_state->entered = true;
  return moved;
}

void ChildCgroup::leave() {
  if (!m_state->entered) return;
  const pid_t who = m_state->v2 ? ::getpid() : this_thread();
  (void)write_control(m_state->home / (m_state->v2 ? "cgroup.procs" : "tasks"),
                      std::to_string(who));
  m_state->entered = false;
}

std::vector<pid_t> ChildCgroup::members() const {
  std::vector<pid_t> out;
  std::istringstream text(read_all(m_state->dir / "cgroup.procs"));
  for (pid_t pid = 0; text >> pid;)
    if (pid > 0 && pid != ::getpid() && !is_zombie(pid)) out.push_back(pid);
  return out;
}

int ChildCgroup::kill_all() {
  std::set<pid_t> killed;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  // A member may fork while it is being killed: go on until the cgroup is empty.
  while (std::chrono::steady_clock::now() < until) {
    const std::vector<pid_t> left = members();
    if (left.empty()) break;
    for (const pid_t pid : left)
      if (::kill(pid, SIGKILL) == 0) killed.insert(pid);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return static_cast<int>(killed.size());
}

}  // namespace gilguard::util
