"""The optional C extension (viewer/core/_native.c), ready to use, or None.

setup.py builds it where a C compiler and Python headers are found; without it every
caller runs its pure-Python reference, which gives the same results (tests/core/test_native.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, TypeVar

from viewer.core.tokens import CODE_BOUNDS, MARK_BOUNDS, NOSPACE_BOUNDS

T = TypeVar("T")


def _load() -> ModuleType | None:
    try:
        from viewer.core import _native
    except ImportError:  # no compiler at install time: the pure-Python paths run
        return None
    # Token classes and codes are defined once, in tokens.py; the extension reads them here.
    _native.configure(NOSPACE_BOUNDS, MARK_BOUNDS, CODE_BOUNDS)
    return _native


native = _load()

# str.lower, in one C pass where the extension is built: the same strings, several times
# faster on text that is not all ASCII (the detector lower-cases every block).
lower: Callable[[str], str] = str.lower if native is None else native.lower


def instances(cls: type[T], rows: Sequence[tuple[Any, ...]]) -> list[T]:
    """``cls(*row)`` for each row, a value for every field: made in C where the extension
    is built (a frozen dataclass's ``__init__`` costs microseconds an object, thousands of
    them milliseconds), for slotted dataclasses without ``__post_init__``."""
    if native is None:
        return [cls(*row) for row in rows]
    made: list[T] = native.instances(cls, field_names(cls), rows)
    return made


def records(cls: type, objects: Sequence[Any]) -> list[dict[str, Any]]:
    """Each object's fields as a dict, in field order (objects of the slotted dataclass
    ``cls``): for the JSON writer, which writes dicts three times faster than dataclasses."""
    names = field_names(cls)
    if native is None:
        return [{name: getattr(obj, name) for name in names} for obj in objects]
    made: list[dict[str, Any]] = native.records(cls, names, objects)
    return made


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(cls: type) -> tuple[str, ...]:
    """The names of a dataclass's fields, in order (looked up once per class)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        from dataclasses import fields  # (imported here: the command line starts without it)

        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names
