"""The optional C extension (viewer/core/_native.c), ready to use, or None.

setup.py builds it where a C compiler and Python headers are found; without it every
caller runs its pure-Python reference, which gives the same results (tests/core/test_native.py).
"""

from __future__ import annotations

from types import ModuleType

from viewer.core.tokens import CODE_BOUNDS, MARK_BOUNDS, NOSPACE_BOUNDS


def _load() -> ModuleType | None:
    try:
        from viewer.core import _native
    except ImportError:  # no compiler at install time: the pure-Python paths run
        return None
    # Token classes and codes are defined once, in tokens.py; the extension reads them here.
    _native.configure(NOSPACE_BOUNDS, MARK_BOUNDS, CODE_BOUNDS)
    return _native


native = _load()
