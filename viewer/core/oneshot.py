"""A process that makes one run and ends: the command line's headless modes and the
window's detection process (``python -m viewer.core.detect_job``).

Such a run builds a large heap (a million objects for a 1 MB pair) with almost no cycles.
It runs without the cycle collector (turning it back on would make it walk every object
the run made), keeps freed memory for reuse, and leaves as soon as its output is flushed:
the heap is left to the system instead of being torn down object by object.
"""

from __future__ import annotations

import gc
import os
import sys
from importlib import import_module
from types import ModuleType
from typing import NoReturn

from viewer.core.native import native

_kept: list[object] | None = None  # a list once begin() has run


def begin() -> None:
    """Settings for the rest of this process: no cycle collection, freed memory kept,
    ``inspect`` imported only if used."""
    global _kept
    gc.disable()
    if native is not None:
        native.tune_malloc()
    _import_on_use("inspect")
    _kept = []


def _import_on_use(name: str) -> None:
    """Stand in for module ``name`` until one of its attributes is used, unless it is
    imported already: the first use imports it and puts it in the stand-in's place.

    dataclasses imports inspect, and with it ast, dis and tokenize (12-17 ms of every
    start here), only to write a docstring for a dataclass that has none: the model's
    all have one, so a run never uses it. (importlib's LazyLoader cannot do this on
    Python 3.11: the ``import`` statement itself reads the module's ``__spec__``, which
    loads it.)
    """
    if name in sys.modules:
        return
    stand_in = ModuleType(name, f"Stands in for {name} until it is used.")

    def load(attribute: str) -> object:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        return getattr(import_module(name), attribute)

    stand_in.__getattr__ = load  # type: ignore[method-assign]  # (PEP 562)
    sys.modules[name] = stand_in


def keep(*objects: object) -> None:
    """In a one-shot process, hold ``objects`` to the end: the system takes back their
    memory at once, where letting go of them frees object by object (a 1 MB pair's
    comparison is about a million objects: 10 ms). Elsewhere, nothing."""
    if _kept is not None:
        _kept.extend(objects)


def leave(status: int, broken: int) -> NoReturn:
    """End the process now with ``status``, its output flushed (``broken`` if a stream is
    closed or broken: nothing more can be said on it). No teardown, no collection."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        status = broken
    os._exit(status)
