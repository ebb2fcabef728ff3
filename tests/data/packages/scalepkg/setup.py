# The C extension scalepkg._speedups. With SCALEPKG_NO_MOD_GIL=1 in the environment of the build
# it is compiled without its Py_mod_gil slot, so the free-threaded build turns the GIL back on when
# it is imported (the head that "forgot" the declaration).
#
# Offline, the only setuptools and wheel here are Debian 12's wheels (python3-setuptools-whl 66,
# python3-wheel-whl 0.38), made for Debian's own Python, and the tests build with them on a plain
# CPython 3.14: the two commands below bridge that and change nothing elsewhere. On a runner,
# `pip install .` gets a current setuptools, which needs neither.
import importlib.util
import os
import sysconfig

from setuptools import Extension, setup
from setuptools.command.install import install


class Install(install):
    """setuptools' install with Debian's `install_layout` and `prefix_option` options, unset.

    Debian's patches to setuptools read these two from the install command: options Debian's
    own distutils defines and the distutils that setuptools bundles for a Python without one
    (3.12+) does not. Unset, they change nothing; a setuptools from PyPI never reads them."""

    install_layout = None
    prefix_option = None


cmdclass = {"install": Install}

# A setuptools before 70.1 builds wheels with wheel's bdist_wheel, and wheel before 0.42 checks
# the tag against its own copy of packaging, which predates the free-threaded ABI (cp3XYt): the
# tag it computes for a free-threaded CPython is right, its list of supported tags lacks it.
if importlib.util.find_spec("setuptools.command.bdist_wheel") is None:
    from wheel import bdist_wheel as wheel_bdist_wheel

    class BdistWheel(wheel_bdist_wheel.bdist_wheel):
        """wheel's bdist_wheel, whose supported tags include the free-threaded ABI's."""

        def get_tag(self):
            tags = wheel_bdist_wheel.tags
            sys_tags = tags.sys_tags
            if not sysconfig.get_config_var("Py_GIL_DISABLED"):
                return super().get_tag()

            def with_free_threaded():
                for tag in sys_tags():
                    yield tag
                    if tag.abi.startswith("cp") and not tag.abi.endswith("t"):
                        yield tags.Tag(tag.interpreter, tag.abi + "t", tag.platform)

            tags.sys_tags = with_free_threaded
            try:
                return super().get_tag()
            finally:
                tags.sys_tags = sys_tags

    cmdclass["bdist_wheel"] = BdistWheel

macros = []
if os.environ.get("SCALEPKG_NO_MOD_GIL") == "1":
    macros.append(("SCALEPKG_NO_MOD_GIL", "1"))

setup(
    cmdclass=cmdclass,
    packages=["scalepkg"],
    ext_modules=[
        Extension("scalepkg._speedups", ["src/_speedups.c"], define_macros=macros),
    ],
)
