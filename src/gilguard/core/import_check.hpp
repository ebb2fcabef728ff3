#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gilguard {

// What importing one --import module in a fresh free-threaded process showed.
struct ImportCheck {
  std::string module;
  bool imported = false;  // false: `error` says why (the traceback's last lines, or how it ended)
  // sys._is_gil_enabled() after start-up (site, .pth files, sitecustomize) and after the import;
  // nullopt where the interpreter has no such function or the probe did not get that far.
  std::optional<bool> gil_before;
  std::optional<bool> gil_after;
  // Modules CPython named as needing the GIL (-v lines, RuntimeWarnings), at start-up and while
  // importing `module`.
  std::vector<std::string> startup_gil_modules;
  std::vector<std::string> import_gil_modules;
  // sys.flags.gil when PYTHON_GIL or -X gil set it ("0" or "1"); empty when unset. Set, it
  // hides re-enabling: CPython then neither warns nor switches the GIL on for a module.
  std::string gil_flag;
  std::string error;

  // True when the import itself turned the GIL on (it was off after start-up).
  bool enabled_gil() const { return gil_before == false && gil_after == true; }

  friend bool operator==(const ImportCheck&, const ImportCheck&) = default;
};

}  // namespace gilguard
