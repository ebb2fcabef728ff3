#include "gilguard/python/gil_messages.hpp"

#include <gtest/gtest.h>

namespace gilguard::python {
namespace {

// The text of Python/import.c (_PyImport_CheckGILForModule) in CPython 3.13.
constexpr const char* k_warning =
    "The global interpreter lock (GIL) has been enabled to load module 'gg_needs_a', which has "
    "not declared that it can run safely without the GIL. To override this behavior and keep "
    "the GIL disabled (at your own risk), run with PYTHON_GIL=0 or -Xgil=0.";

TEST(GilMessages, TheWarningNamesItsModule) {
  EXPECT_EQ(module_in_gil_warning(k_warning), "gg_needs_a");
  EXPECT_EQ(module_in_gil_warning("at start-up: " + std::string(k_warning)), "gg_needs_a");
  EXPECT_FALSE(module_in_gil_warning("DeprecationWarning: something else").has_value());
  EXPECT_FALSE(module_in_gil_warning("has been enabled to load module ''").has_value());
  EXPECT_FALSE(module_in_gil_warning("has been enabled to load module 'unclosed").has_value());
}

TEST(GilMessages, WarningsPrintedOnStderrAreFoundWithoutTheirLocation) {
  // How the warnings module prints a warning raised while site runs a .pth line.
  const std::string stderr_text = std::string("<string>:1: RuntimeWarning: ") + k_warning +
                                  "\n"
                                  "/venv/lib/site.py:3: DeprecationWarning: old\n"
                                  "  import x\n"
                                  "<frozen site>:7: RuntimeWarning: overflow\n";
  EXPECT_EQ(gil_warnings_in_stderr(stderr_text), std::vector<std::string>{k_warning});
  EXPECT_TRUE(gil_warnings_in_stderr("").empty());
}

TEST(GilMessages, VerboseLinesNameEveryModuleOnce) {
  const std::string stderr_text =
      "import 'site' # <class '_frozen_importlib.FrozenImporter'>\n"
      "# loading module 'gg_needs_a', which requires the GIL\r\n"
      "# extension module 'gg_needs_a' loaded from '/v/gg_needs_a.so'\n"
      "# loading module 'pkg.gg_needs_b', which requires the GIL\n"
      "# loading module 'gg_needs_a', which requires the GIL\n"
      "# loading module 'gg_needs_c', which requires something else\n";
  EXPECT_EQ(verbose_gil_modules(stderr_text),
            (std::vector<std::string>{"gg_needs_a", "pkg.gg_needs_b"}));
}

// The -v lines of a real start-up (3.13 and 3.14 alike), then an error.
TEST(GilMessages, VerboseLinesAreLeftOutOfAnErrorTail) {
  EXPECT_EQ(
      without_verbose_lines("import _frozen_importlib # frozen\n"
                            "import _imp # builtin\n"
                            "# installing zipimport hook\n"
                            "import 'site' # <frozen>\n"
                            "Processing user site-packages\n"
                            "Processing global site-packages\n"
                            "Adding directory: '/py/lib/python3.14t/site-packages'\n"
                            "Processing .pth file: '/py/lib/python3.14t/site-packages/a.pth'\n"
                            "# cleanup[2] removing sys\n"
                            "Traceback (most recent call last):\n"
                            "  File \"<string>\", line 1\n"
                            "ImportError: boom"),
      "Traceback (most recent call last):\n  File \"<string>\", line 1\nImportError: boom\n");
}

}  // namespace
}  // namespace gilguard::python
