"""Work-arounds for defects of the Qt binding we depend on, applied explicitly by callers."""

from __future__ import annotations

import ctypes
import sys

_PINNED = False


def pin_none() -> None:
    """Make ``None`` effectively immortal on Python < 3.12.

    PySide6 6.12 returns ``None`` from every void method without taking a reference
    (it relies on 3.12's immortal ``None``). On 3.11 each call lowers ``None``'s
    reference count by one, and after a few thousand Qt calls the interpreter aborts
    with "none_dealloc". Adding a huge constant once keeps the count far from zero
    for the life of the process. Idempotent; a no-op where ``None`` is immortal.
    """
    global _PINNED
    if _PINNED or sys.version_info >= (3, 12):
        return
    # ob_refcnt is the first field of every PyObject; the GIL is held here.
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    _PINNED = True
