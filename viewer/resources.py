"""Resolve files in resources/ both in an installed wheel and in the source tree.

A wheel carries them as package data beside the code (viewer/_resources, viewer/_seeds,
see pyproject.toml); a source tree or an editable install has them at the top level
(resources/, seeds/). Plain os.path, no importlib.resources: the command line reads the
detector's tables through here, and importing importlib.resources (zipfile, tempfile,
pathlib...) would cost it more than reading them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def _folder(packaged: str, in_tree: str) -> str:
    installed = os.path.join(_PACKAGE, packaged)
    return installed if os.path.isdir(installed) else os.path.join(_PACKAGE, "..", in_tree)


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource file (resources/<parts...>)."""
    from pathlib import Path

    return Path(os.path.normpath(_file(*parts)))


def _file(*parts: str) -> str:
    return os.path.join(_folder("_resources", "resources"), *parts)


def read_text(*parts: str) -> str:
    """Text of a bundled resource file."""
    with open(_file(*parts), encoding="utf-8") as f:
        return f.read()


def read_bytes(*parts: str) -> bytes:
    """Bytes of a bundled resource file."""
    with open(_file(*parts), "rb") as f:
        return f.read()


def seed_pair() -> tuple[Path, Path]:
    """The bundled demo pair (left: the rewritten copy, right: the agency original)."""
    from pathlib import Path

    files = sorted(Path(os.path.normpath(_folder("_seeds", "seeds"))).glob("*.txt"))
    return files[0], files[1]
