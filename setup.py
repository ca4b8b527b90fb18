"""Build hook for the one optional C extension; everything else is in pyproject.toml.

viewer/core/_native.c speeds up alignment's candidate search. It is optional: where no
C compiler or Python headers are found, the install still succeeds and alignment uses
its pure-Python reference, which gives the same result (tests check both agree).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("viewer.core._native", ["viewer/core/_native.c"], optional=True)])
