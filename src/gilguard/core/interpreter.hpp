#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gilguard {

// The two CPython builds gilguard compares.
enum class Flavor { gil, ft };

// "gil" or "ft".
std::string_view to_string(Flavor flavor);

// Parses "gil" / "ft"; nullopt for anything else.
std::optional<Flavor> parse_flavor(std::string_view text);

// What `gilguard probe` learns about one interpreter by running it.
struct InterpreterFacts {
  std::string path;                          // as given by the user
  std::string executable;                    // sys.executable, resolved
  std::string version;                       // "3.13.5"
  std::string implementation;                // sys.implementation.name, "cpython"
  bool gil_disabled_build = false;           // sysconfig Py_GIL_DISABLED
  std::optional<bool> gil_enabled_at_start;  // sys._is_gil_enabled(), where it exists
  std::string config_args;                   // sysconfig CONFIG_ARGS
  std::string platform;                      // sysconfig.get_platform(), "linux-x86_64"
  int logical_cpus = 0;                      // os.cpu_count()
  int usable_cpus = 0;                       // len(os.sched_getaffinity(0)), else logical

  // The flavour this build is, from Py_GIL_DISABLED.
  Flavor flavor() const { return gil_disabled_build ? Flavor::ft : Flavor::gil; }
  // "3.13" from "3.13.5".
  std::string major_minor() const;
};

}  // namespace gilguard
