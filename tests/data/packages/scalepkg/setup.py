# The C extension scalepkg._speedups. With SCALEPKG_NO_MOD_GIL=1 in the environment of the build
# it is compiled without its Py_mod_gil slot, so the free-threaded build turns the GIL back on when
# it is imported (the head that "forgot" the declaration).
import os

from setuptools import Extension, setup
from setuptools.command.install import install


class Install(install):
    """setuptools' install with Debian's `install_layout` and `prefix_option` options, unset.

    Offline, the only setuptools is Debian's wheel (python3-setuptools-whl), whose Debian patches
    read these two from the install command: options Debian's own distutils defines and the
    distutils setuptools bundles for a plain CPython (3.12+, no distutils) does not. Unset, they
    change nothing; a setuptools from PyPI never reads them."""

    install_layout = None
    prefix_option = None


macros = []
if os.environ.get("SCALEPKG_NO_MOD_GIL") == "1":
    macros.append(("SCALEPKG_NO_MOD_GIL", "1"))

setup(
    cmdclass={"install": Install},
    packages=["scalepkg"],
    ext_modules=[
        Extension("scalepkg._speedups", ["src/_speedups.c"], define_macros=macros),
    ],
)
