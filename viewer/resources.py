"""Resolve files in resources/ both in an installed wheel and in the source tree."""

from __future__ import annotations

from importlib import resources as _ir
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource file (resources/<parts...>)."""
    try:
        root = _ir.files("viewer") / "_resources"
        candidate = Path(str(root.joinpath(*parts)))
        if candidate.exists():
            return candidate
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - defensive
        pass
    return Path(__file__).resolve().parent.parent.joinpath("resources", *parts)


def read_text(*parts: str) -> str:
    """Text of a bundled resource file."""
    return resource_path(*parts).read_text(encoding="utf-8")


def seed_pair() -> tuple[Path, Path]:
    """The bundled demo pair (left: the rewritten copy, right: the agency original)."""
    root = Path(__file__).resolve().parent.parent / "seeds"
    if not root.is_dir():
        root = Path(str(_ir.files("viewer") / "_seeds"))
    files = sorted(root.glob("*.txt"))
    return files[0], files[1]
