#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gilguard::python {

// What a free-threaded CPython (3.13+) says when a module that has not declared free-threading
// support (the Py_mod_gil slot) turns the GIL back on: Python/import.c,
// _PyImport_CheckGILForModule. It raises a RuntimeWarning only the first time, and with -v
// prints a line for every such module. Both say nothing under PYTHON_GIL or -X gil.

// The module named by a "GIL has been enabled to load module 'x'" RuntimeWarning text, if any.
std::optional<std::string> module_in_gil_warning(std::string_view text);

// The messages of the GIL RuntimeWarnings CPython printed on stderr as
// "FILE:LINE: RuntimeWarning: MESSAGE" (warnings no catch_warnings block recorded, such as
// those raised at start-up while site runs a .pth file or sitecustomize), in order.
std::vector<std::string> gil_warnings_in_stderr(std::string_view stderr_text);

// The modules of the -v lines "# loading module 'x', which requires the GIL", in order and
// without repeats.
std::vector<std::string> verbose_gil_modules(std::string_view stderr_text);

// `text` without the lines -v adds ("# ...", "import x # ...", site's "Processing ..." and
// "Adding directory: ..."), so that an error's tail shows the traceback rather than the import
// log. The version banner -v also prints is not among them: pass -q to keep it out.
std::string without_verbose_lines(std::string_view text);

}  // namespace gilguard::python
