# The C extension scalepkg._speedups. With SCALEPKG_NO_MOD_GIL=1 in the environment of the build
# it is compiled without its Py_mod_gil slot, so the free-threaded build turns the GIL back on when
# it is imported (the head that "forgot" the declaration).
import os

from setuptools import Extension, setup

macros = []
if os.environ.get("SCALEPKG_NO_MOD_GIL") == "1":
    macros.append(("SCALEPKG_NO_MOD_GIL", "1"))

setup(
    packages=["scalepkg"],
    ext_modules=[
        Extension("scalepkg._speedups", ["src/_speedups.c"], define_macros=macros),
    ],
)
